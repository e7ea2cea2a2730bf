package dev.tether.core.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code metrics.json}: scalar name → number, keys sorted, one file per step. The local runner
 * reads it to print a run's summary; on Kubeflow the same content sits at the {@code system.Metrics}
 * artifact's path (see {@link KfpOutputs}).
 */
public final class MetricsJson {

  public static final String FILE_NAME = "metrics.json";

  private MetricsJson() {}

  public static void write(Path file, Map<String, ? extends Number> metrics) {
    AtomicFiles.write(file, CanonicalJson.pretty(checked(metrics)));
  }

  public static Map<String, Double> read(Path file) {
    JsonNode tree;
    try {
      tree = CanonicalJson.mapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ArtifactException(file + ": cannot read metrics: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new ArtifactException(file + ": expected a JSON object of metric name to number");
    }
    Map<String, Double> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : tree.properties()) {
      if (!e.getValue().isNumber()) {
        throw new ArtifactException(file + ": metric '" + e.getKey()
            + "': expected a number, found " + e.getValue());
      }
      out.put(e.getKey(), e.getValue().doubleValue());
    }
    return out;
  }

  /** A sorted copy, refusing NaN and infinities with the metric's name. */
  static Map<String, Number> checked(Map<String, ? extends Number> metrics) {
    Map<String, Number> out = new TreeMap<>();
    metrics.forEach((name, value) -> {
      if (value == null || !Double.isFinite(value.doubleValue())) {
        throw new ArtifactException("metric '" + name + "': expected a finite number, found "
            + value);
      }
      out.put(name, value);
    });
    return out;
  }
}
