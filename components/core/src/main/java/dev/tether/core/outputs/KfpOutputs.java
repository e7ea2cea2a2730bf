package dev.tether.core.outputs;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A step's outputs for Kubeflow Pipelines v2: scalar metrics the KFP UI shows, output parameters
 * downstream tasks and the operator read, and report files.
 *
 * <p>What is written, and why (sources in kubeflow/pipelines):
 * <ul>
 *   <li>The {@code ExecutorOutput} JSON at {@code outputs.outputFile} of the executor input. The
 *       launcher ({@code getExecutorOutputFile}, backend/src/v2/component/launcher_v2.go) reads it
 *       with {@code protojson.Unmarshal} into {@code ml_pipelines.ExecutorOutput}
 *       (api/v2alpha1/pipeline_spec.proto), which rejects unknown fields, so only these are
 *       written:
 *     <ul>
 *       <li>{@code artifacts.<key>.artifacts[0]} = {@code {"name", "uri", "metadata"}} for each
 *           {@code system.Metrics} output, {@code name} and {@code uri} copied from the executor
 *           input and {@code metadata} the metrics (name → number), exactly what the Python SDK's
 *           {@code Executor.write_executor_output} (sdk/python/kfp/dsl/executor.py) writes after
 *           {@code Metrics.log_metric}. The launcher merges {@code metadata} into the output
 *           artifact ({@code mergeRuntimeArtifacts}) and records it in ML Metadata as custom
 *           properties; the UI's "Scalar Metrics" table ({@code ScalarMetricsSection},
 *           frontend/src/components/viewers/MetricsVisualizations.tsx) lists every custom property
 *           of a {@code system.Metrics} artifact except {@code display_name}.</li>
 *       <li>{@code artifacts.<key>.artifacts[0]} = {@code {"name", "uri"}} for each report, as the
 *           SDK's executor lists every output artifact; the launcher uploads the local path either
 *           way, and the listing records which reports the step wrote.</li>
 *       <li>{@code parameterValues.<name>} = the value as a JSON string, number, boolean, list or
 *           object ({@code google.protobuf.Value}); the launcher gives these precedence over
 *           parameter files ({@code collectOutputParameters}).</li>
 *     </ul>
 *   </li>
 *   <li>Each output parameter also as text at {@code outputs.parameters.<name>.outputFile}, the
 *       file a container component writes ({@link ParameterText} format), so the value is there
 *       for any reader of the older contract and the two never disagree.</li>
 *   <li>The metrics as {@code metrics.json}-style JSON at the metrics artifact's local path (its
 *       URI mapped as the launcher maps it): the launcher uploads that path to the URI, so users
 *       can download the numbers from the object store as well as see them in the UI.</li>
 *   <li>Markdown and HTML reports at their artifacts' local paths; the UI renders
 *       {@code system.Markdown} and {@code system.HTML} artifacts from the uploaded file.</li>
 * </ul>
 * The ExecutorOutput file is written last and atomically: the launcher reads it after the
 * container exits, and it should describe files that are all in place.
 */
public final class KfpOutputs {

  static final String METRICS = "system.Metrics";
  static final String MARKDOWN = "system.Markdown";
  static final String HTML = "system.HTML";

  private final KfpExecutorInput input;
  private final Map<String, Map<String, Number>> metrics = new TreeMap<>();
  private final Map<String, Object> parameters = new TreeMap<>();
  private final Map<String, Report> reports = new TreeMap<>();

  private record Report(String schemaTitle, String text) {}

  private KfpOutputs(KfpExecutorInput input) {
    this.input = input;
  }

  public static KfpOutputs of(KfpExecutorInput input) {
    return new KfpOutputs(input);
  }

  /** Scalar metrics for the {@code system.Metrics} output artifact {@code key}. */
  public KfpOutputs metrics(String key, Map<String, ? extends Number> values) {
    metrics.put(key, MetricsJson.checked(values));
    return this;
  }

  /** An output parameter the component declares: string, number, boolean, list or map. */
  public KfpOutputs parameter(String name, Object value) {
    ParameterText.format(name, value);
    parameters.put(name, value);
    return this;
  }

  public KfpOutputs markdown(String key, String markdown) {
    reports.put(key, new Report(MARKDOWN, markdown));
    return this;
  }

  public KfpOutputs html(String key, String html) {
    reports.put(key, new Report(HTML, html));
    return this;
  }

  /**
   * Writes the metrics files, reports and parameter files, then the ExecutorOutput JSON. Every
   * name and path is resolved first, so a mistake writes nothing.
   *
   * @return the ExecutorOutput file
   */
  public Path write() {
    Path outputFile = input.outputFile();
    Map<Path, byte[]> files = new LinkedHashMap<>();
    Map<String, Object> artifacts = new TreeMap<>();
    metrics.forEach((key, values) -> {
      KfpExecutorInput.RuntimeArtifact a = outputArtifact(key, METRICS);
      files.put(a.localPath(), CanonicalJson.pretty(values));
      Map<String, Object> runtimeArtifact = new LinkedHashMap<>();
      runtimeArtifact.put("name", a.name());
      runtimeArtifact.put("uri", a.uri());
      runtimeArtifact.put("metadata", values);
      artifacts.put(key, Map.of("artifacts", List.of(runtimeArtifact)));
    });
    reports.forEach((key, report) -> {
      KfpExecutorInput.RuntimeArtifact a = outputArtifact(key, report.schemaTitle());
      files.put(a.localPath(), report.text().getBytes(StandardCharsets.UTF_8));
      Map<String, Object> runtimeArtifact = new LinkedHashMap<>();
      runtimeArtifact.put("name", a.name());
      runtimeArtifact.put("uri", a.uri());
      artifacts.put(key, Map.of("artifacts", List.of(runtimeArtifact)));
    });
    parameters.forEach((name, value) -> {
      Path file = input.parameterOutputFile(name).orElseThrow(() -> new ArtifactException(
          "KFP output parameter '" + name + "' is not declared by the component; declared: "
              + input.outputParameterNames()));
      files.put(file, ParameterText.format(name, value).getBytes(StandardCharsets.UTF_8));
    });
    Map<String, Object> executorOutput = new LinkedHashMap<>();
    if (!artifacts.isEmpty()) {
      executorOutput.put("artifacts", artifacts);
    }
    if (!parameters.isEmpty()) {
      executorOutput.put("parameterValues", parameters);
    }
    files.put(outputFile, CanonicalJson.pretty(executorOutput));
    files.forEach(AtomicFiles::write);
    return outputFile;
  }

  private KfpExecutorInput.RuntimeArtifact outputArtifact(String key, String expectedType) {
    KfpExecutorInput.RuntimeArtifact a = input.outputArtifact(key);
    if (!a.schemaTitle().isEmpty() && !a.schemaTitle().equals(expectedType)) {
      throw new ArtifactException("KFP output artifact '" + key + "': type: expected "
          + expectedType + ", found " + a.schemaTitle());
    }
    return a;
  }
}
