package dev.tether.models.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.Safetensors;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.artifact.Tensor;
import dev.tether.models.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint's weights as one name space: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}.
 */
final class WeightFiles implements AutoCloseable {

  static final String SINGLE = "model.safetensors";
  static final String INDEX = "model.safetensors.index.json";

  private final List<SafetensorsFile> files = new ArrayList<>();
  private final Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
  private final String description;

  private WeightFiles(String description) {
    this.description = description;
  }

  static WeightFiles open(Path dir) {
    Path single = dir.resolve(SINGLE);
    Path index = dir.resolve(INDEX);
    if (Files.exists(single)) {
      WeightFiles w = new WeightFiles(single.toString());
      w.add(Safetensors.read(single));
      return w;
    }
    if (!Files.exists(index)) {
      throw new ArtifactException(dir + ": no weights (expected " + SINGLE + " or " + INDEX + ")");
    }
    JsonNode map;
    try {
      map = ModelConfig.JSON.readTree(Files.readAllBytes(index)).get("weight_map");
    } catch (IOException e) {
      throw new ArtifactException(index + ": not readable JSON: " + e.getMessage(), e);
    }
    if (map == null || !map.isObject()) {
      throw new ArtifactException(index + ": field \"weight_map\" missing or not an object");
    }
    WeightFiles w = new WeightFiles(index.toString());
    try {
      Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String shard = e.getValue().asText();
        if (shard.contains("/") || shard.contains("\\")) {
          throw new ArtifactException(index + ": shard \"" + shard + "\" must be a file name in " + dir);
        }
        SafetensorsFile f = shards.computeIfAbsent(shard, s -> w.add(Safetensors.read(dir.resolve(s))));
        if (!f.contains(e.getKey())) {
          throw new ArtifactException(index + ": tensor " + e.getKey() + " is mapped to " + shard
              + ", which does not contain it");
        }
      }
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }

  private SafetensorsFile add(SafetensorsFile f) {
    files.add(f);
    for (String name : f.names()) {
      byName.putIfAbsent(name, f);
    }
    return f;
  }

  /** Where errors point: model.safetensors or the index. */
  String description() {
    return description;
  }

  List<String> names() {
    return List.copyOf(byName.keySet());
  }

  boolean contains(String name) {
    return byName.containsKey(name);
  }

  long[] shape(String name) {
    return byName.get(name).shape(name);
  }

  Tensor get(String name) {
    return byName.get(name).get(name);
  }

  @Override
  public void close() {
    for (SafetensorsFile f : files) {
      f.close();
    }
  }
}
