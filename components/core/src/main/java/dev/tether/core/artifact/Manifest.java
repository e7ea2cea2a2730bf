package dev.tether.core.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: what an artifact is (schema and version), who made it (producer step and
 * tether version), from what (input artifact digests, parameters, seed), and what it holds (every
 * file's sha256 and size, every safetensors tensor's dtype and shape).
 *
 * <p>No timestamps or host names: the same inputs, parameters and seed give the same manifest, byte
 * for byte. Maps are kept sorted so that holds whatever order callers add entries in.
 *
 * @param inputs input name → artifact digest ({@code "sha256:<hex>"}, see {@link ArtifactDigest})
 * @param parameters name → string, number or boolean
 * @param seed the random seed, or null for a step that draws no random numbers
 * @param files path relative to the artifact directory ('/'-separated) → sha256 and size
 * @param tensors safetensors file → tensor name → dtype and shape
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record Manifest(
    String schema,
    int schemaVersion,
    Producer producer,
    Map<String, String> inputs,
    Map<String, Object> parameters,
    Long seed,
    Map<String, FileEntry> files,
    Map<String, Map<String, TensorEntry>> tensors) {

  public static final String FILE_NAME = "manifest.json";

  public Manifest {
    required(schema, "schema");
    required(producer, "producer");
    inputs = sorted(inputs);
    parameters = sorted(parameters);
    parameters.forEach(Manifest::checkParameter);
    files = sorted(files);
    TreeMap<String, Map<String, TensorEntry>> tensorsCopy = new TreeMap<>();
    if (tensors != null) {
      tensors.forEach((file, byName) -> tensorsCopy.put(file, sorted(byName)));
    }
    tensors = Collections.unmodifiableMap(tensorsCopy);
  }

  @JsonPropertyOrder(alphabetic = true)
  public record Producer(String step, String version) {
    public Producer {
      required(step, "producer.step");
      required(version, "producer.version");
    }
  }

  /** @param sha256 lowercase hex, no prefix, as {@code sha256sum} prints it */
  @JsonPropertyOrder(alphabetic = true)
  public record FileEntry(String sha256, long bytes) {
    public FileEntry {
      required(sha256, "sha256");
    }
  }

  @JsonPropertyOrder(alphabetic = true)
  public record TensorEntry(DType dtype, List<Long> shape) {
    public TensorEntry {
      required(dtype, "dtype");
      required(shape, "shape");
      shape = List.copyOf(shape);
    }

    static TensorEntry of(DType dtype, long[] shape) {
      return new TensorEntry(dtype, Arrays.stream(shape).boxed().toList());
    }
  }

  static void checkParameter(String name, Object value) {
    boolean finiteNumber = value instanceof Number n && Double.isFinite(n.doubleValue());
    if (!(value instanceof String || value instanceof Boolean || finiteNumber)) {
      throw new ArtifactException("parameter " + Tensor.quote(name)
          + ": expected a string, finite number or boolean, found "
          + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
    }
  }

  private static void required(Object value, String field) {
    if (value == null) {
      throw new ArtifactException("missing field " + Tensor.quote(field));
    }
  }

  private static <V> Map<String, V> sorted(Map<String, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
  }
}
