package dev.tether.core.outputs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The parts of a KFP v2 {@code ExecutorInput} (the JSON the launcher substitutes for {@code {{$}}}
 * in the container's arguments) that a tether step reads: input parameter values and artifacts,
 * output artifacts with their URIs and local paths, output parameter files and
 * {@code outputs.outputFile}, where the {@code ExecutorOutput} goes.
 *
 * <p>Field names are the protobuf JSON names of {@code ml_pipelines.ExecutorInput}
 * (kubeflow/pipelines, api/v2alpha1/pipeline_spec.proto). URIs map to local paths as the launcher
 * maps them ({@code LocalPathForURI} in backend/src/v2/component/launcher_v2.go, and
 * {@code Artifact.path} in sdk/python/kfp/dsl/types/artifact_types.py): {@code gs://} to
 * {@code /gcs/}, {@code minio://} to {@code /minio/}, {@code s3://} to {@code /s3/}; a bare absolute
 * path (KFP's local runner) is its own path.
 */
public final class KfpExecutorInput {

  /** An artifact slot: name and URI as the launcher gave them, and where to read or write it. */
  public record RuntimeArtifact(String key, String name, String uri, String schemaTitle,
      Path localPath) {}

  private static final Map<String, String> MOUNTS =
      Map.of("gs://", "gcs", "minio://", "minio", "s3://", "s3");

  private final JsonNode root;
  private final Path mountRoot;

  private KfpExecutorInput(JsonNode root, Path mountRoot) {
    this.root = root;
    this.mountRoot = mountRoot;
  }

  public static KfpExecutorInput parse(String json) {
    return parse(json, Path.of("/"));
  }

  public static KfpExecutorInput read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new ArtifactException(file + ": cannot read the KFP executor input: " + e, e);
    }
  }

  /** @param mountRoot where the launcher's /gcs, /minio and /s3 mounts live (tests only) */
  static KfpExecutorInput parse(String json, Path mountRoot) {
    JsonNode root;
    try {
      root = CanonicalJson.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new ArtifactException("KFP executor input: not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ArtifactException("KFP executor input: expected a JSON object");
    }
    return new KfpExecutorInput(root, mountRoot);
  }

  /** {@code outputs.outputFile}: where the launcher looks for the ExecutorOutput JSON. */
  public Path outputFile() {
    JsonNode file = root.path("outputs").path("outputFile");
    if (!file.isTextual() || file.textValue().isEmpty()) {
      throw new ArtifactException("KFP executor input: outputs.outputFile: expected a path, found "
          + (file.isMissingNode() ? "nothing" : file.toString()));
    }
    return Path.of(file.textValue());
  }

  public RuntimeArtifact outputArtifact(String key) {
    return artifact("outputs", key);
  }

  public RuntimeArtifact inputArtifact(String key) {
    return artifact("inputs", key);
  }

  /**
   * Every artifact of input {@code key}, in the order given: a list input
   * ({@code isArtifactList}, what {@code dsl.Collected} fans in) has one per iteration; empty when
   * the input is not given.
   */
  public List<RuntimeArtifact> inputArtifacts(String key) {
    JsonNode list = root.path("inputs").path("artifacts").path(key).path("artifacts");
    List<RuntimeArtifact> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode a = list.get(i);
      String uri = a.path("uri").asText("");
      if (uri.isEmpty()) {
        throw new ArtifactException("KFP executor input: inputs.artifacts." + key + ".artifacts[" + i
            + "]: expected a uri, found none");
      }
      out.add(new RuntimeArtifact(key, a.path("name").asText(""), uri,
          a.path("type").path("schemaTitle").asText(""), localPath(uri)));
    }
    return out;
  }

  /** {@code outputs.parameters.<name>.outputFile}, if the component declares that output. */
  public Optional<Path> parameterOutputFile(String name) {
    JsonNode file = root.path("outputs").path("parameters").path(name).path("outputFile");
    return file.isTextual() ? Optional.of(Path.of(file.textValue())) : Optional.empty();
  }

  public TreeSet<String> outputParameterNames() {
    return names(root.path("outputs").path("parameters"));
  }

  /** {@code inputs.parameterValues}: name → string, number, boolean, list or map. */
  public Map<String, Object> inputParameterValues() {
    JsonNode values = root.path("inputs").path("parameterValues");
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : values.properties()) {
      out.put(e.getKey(), CanonicalJson.mapper().convertValue(e.getValue(), Object.class));
    }
    return out;
  }

  /** The local path the launcher uploads from or downloads to for {@code uri}. */
  public Path localPath(String uri) {
    for (Map.Entry<String, String> mount : MOUNTS.entrySet()) {
      if (uri.startsWith(mount.getKey())) {
        return mountRoot.resolve(mount.getValue()).resolve(uri.substring(mount.getKey().length()));
      }
    }
    if (uri.startsWith("/")) {
      return Path.of(uri);
    }
    throw new ArtifactException("KFP artifact URI " + uri
        + ": expected gs://, minio://, s3:// or an absolute path");
  }

  private RuntimeArtifact artifact(String side, String key) {
    JsonNode slots = root.path(side).path("artifacts");
    JsonNode first = slots.path(key).path("artifacts").path(0);
    if (!first.isObject()) {
      throw new ArtifactException("KFP executor input: " + side + ".artifacts: no artifact '"
          + key + "'; found " + names(slots));
    }
    String uri = first.path("uri").asText("");
    if (uri.isEmpty()) {
      throw new ArtifactException("KFP executor input: " + side + ".artifacts." + key
          + ": expected a uri, found none");
    }
    String schemaTitle = first.path("type").path("schemaTitle").asText("");
    return new RuntimeArtifact(key, first.path("name").asText(""), uri, schemaTitle,
        localPath(uri));
  }

  private static TreeSet<String> names(JsonNode object) {
    TreeSet<String> out = new TreeSet<>();
    object.properties().forEach(e -> out.add(e.getKey()));
    return out;
  }
}
