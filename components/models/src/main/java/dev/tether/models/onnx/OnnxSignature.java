package dev.tether.models.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.tether.core.artifact.ArtifactException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An ONNX model's inputs and outputs, read from the file without loading its weights (the
 * protobuf is scanned and initializer bytes skipped), and checked against what tether feeds a
 * language model or a reward model: {@code input_ids} and {@code attention_mask} (int64,
 * [batch, sequence]) in, float {@code logits} out.
 *
 * @param file the model file
 * @param inputs the inputs a caller must feed (graph inputs that are not initializers), by name
 * @param outputs the graph outputs, by name
 * @param metadata the model's metadata_props
 */
public record OnnxSignature(
    Path file, Map<String, Value> inputs, Map<String, Value> outputs, Map<String, String> metadata) {

  /** Inputs tether may feed besides the two required ones: position ids (from the mask) and zeros. */
  public static final Set<String> OPTIONAL_INPUTS = Set.of("position_ids", "token_type_ids");

  /** One graph input or output: element type and dims (a number, or a symbolic name, or "?"). */
  public record Value(String name, String elemType, List<String> dims) {

    @Override
    public String toString() {
      return name + " " + elemType + " [" + String.join(", ", dims) + "]";
    }
  }

  public OnnxSignature {
    // Kept in file order, so messages list inputs as the model declares them.
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** Reads the signature; a file that is not an ONNX model is refused with its name. */
  public static OnnxSignature read(Path file) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      CodedInputStream in = CodedInputStream.newInstance(raw);
      in.setSizeLimit(Integer.MAX_VALUE);
      Scan scan = new Scan();
      scanModel(in, scan);
      if (!scan.sawGraph) {
        throw new ArtifactException(file + ": not an ONNX model (no graph found)");
      }
      Map<String, Value> inputs = new LinkedHashMap<>();
      for (ValueInfoProto v : scan.inputs) {
        if (!scan.initializers.contains(v.getName())) {
          inputs.put(v.getName(), value(v));
        }
      }
      Map<String, Value> outputs = new LinkedHashMap<>();
      scan.outputs.forEach(v -> outputs.put(v.getName(), value(v)));
      return new OnnxSignature(file, inputs, outputs, scan.metadata);
    } catch (NoSuchFileException e) {
      throw new ArtifactException(file + ": no such file (an ONNX model was expected)");
    } catch (InvalidProtocolBufferException e) {
      throw new ArtifactException(file + ": not an ONNX model (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new ArtifactException(file + ": cannot read: " + e, e);
    }
  }

  /** The logits' rank: 3 for a causal LM [batch, sequence, vocab], 2 for a classifier [batch, labels]. */
  public int logitsRank() {
    return outputs.get(DecoderGraph.LOGITS).dims().size();
  }

  /**
   * Checks the Hugging Face signature: inputs {@code input_ids} and {@code attention_mask} int64
   * of rank 2 (plus at most {@link #OPTIONAL_INPUTS}), output {@code logits} float of one of
   * {@code logitsRanks} (3: [batch, sequence, vocab], 2: [batch, num_labels]). The error names
   * the file, what was expected and what was found.
   */
  public OnnxSignature require(int... logitsRanks) {
    List<String> problems = new ArrayList<>();
    for (String name : List.of(DecoderGraph.INPUT_IDS, DecoderGraph.ATTENTION_MASK)) {
      Value v = inputs.get(name);
      if (v == null) {
        problems.add("no input " + name);
      } else if (!v.elemType().equals("int64") || v.dims().size() != 2) {
        problems.add("input " + v + " is not int64 [batch, sequence]");
      }
    }
    Set<String> unknown = new TreeSet<>(inputs.keySet());
    unknown.removeAll(List.of(DecoderGraph.INPUT_IDS, DecoderGraph.ATTENTION_MASK));
    unknown.removeAll(OPTIONAL_INPUTS);
    if (!unknown.isEmpty()) {
      problems.add("inputs tether cannot feed: " + unknown);
    }
    Value logits = outputs.get(DecoderGraph.LOGITS);
    String shapes = Arrays.stream(logitsRanks)
        .mapToObj(r -> r == 3 ? "[batch, sequence, vocab]" : r == 2 ? "[batch, num_labels]" : "of rank " + r)
        .collect(Collectors.joining(" or "));
    if (logits == null) {
      problems.add("no output logits");
    } else if (!logits.elemType().equals("float")
        || Arrays.stream(logitsRanks).noneMatch(r -> r == logits.dims().size())) {
      problems.add("output " + logits + " is not float " + shapes);
    }
    if (!problems.isEmpty()) {
      throw new ArtifactException(file + ": " + String.join("; ", problems) + ". Expected inputs "
          + "input_ids int64 [batch, sequence], attention_mask int64 [batch, sequence] and output "
          + "logits float " + shapes + "; found inputs " + describe(inputs) + ", outputs "
          + describe(outputs));
    }
    return this;
  }

  public Optional<String> metadata(String key) {
    return Optional.ofNullable(metadata.get(key));
  }

  private static String describe(Map<String, Value> values) {
    return values.isEmpty() ? "none"
        : values.values().stream().map(Value::toString).collect(Collectors.joining(", ", "{", "}"));
  }

  // ---------------------------------------------------------------- protobuf scan

  private static final class Scan {
    final List<ValueInfoProto> inputs = new ArrayList<>();
    final List<ValueInfoProto> outputs = new ArrayList<>();
    final Set<String> initializers = new HashSet<>();
    final Map<String, String> metadata = new LinkedHashMap<>();
    boolean sawGraph;
  }

  private static void scanModel(CodedInputStream in, Scan scan) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == ModelProto.GRAPH_FIELD_NUMBER && isMessage(tag)) {
        int limit = in.pushLimit(in.readRawVarint32());
        scanGraph(in, scan);
        in.popLimit(limit);
        scan.sawGraph = true;
      } else if (field == ModelProto.METADATA_PROPS_FIELD_NUMBER && isMessage(tag)) {
        StringStringEntryProto entry = StringStringEntryProto.parseFrom(in.readBytes());
        scan.metadata.put(entry.getKey(), entry.getValue());
      } else if (!in.skipField(tag)) {
        break;
      }
    }
  }

  /** Graph inputs and outputs are parsed; nodes and initializer data are skipped. */
  private static void scanGraph(CodedInputStream in, Scan scan) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == GraphProto.INPUT_FIELD_NUMBER && isMessage(tag)) {
        scan.inputs.add(ValueInfoProto.parseFrom(in.readBytes()));
      } else if (field == GraphProto.OUTPUT_FIELD_NUMBER && isMessage(tag)) {
        scan.outputs.add(ValueInfoProto.parseFrom(in.readBytes()));
      } else if (field == GraphProto.INITIALIZER_FIELD_NUMBER && isMessage(tag)) {
        int limit = in.pushLimit(in.readRawVarint32());
        scan.initializers.add(tensorName(in));
        in.popLimit(limit);
      } else if (!in.skipField(tag)) {
        break;
      }
    }
  }

  private static String tensorName(CodedInputStream in) throws IOException {
    String name = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == TensorProto.NAME_FIELD_NUMBER && isMessage(tag)) {
        name = in.readString();
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return name;
  }

  private static boolean isMessage(int tag) {
    return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  private static Value value(ValueInfoProto v) {
    TypeProto type = v.getType();
    if (!type.hasTensorType()) {
      return new Value(v.getName(), type.getValueCase().name().toLowerCase(), List.of());
    }
    TypeProto.Tensor t = type.getTensorType();
    String elem = elemTypeName(t.getElemType());
    List<String> dims = new ArrayList<>();
    for (TensorShapeProto.Dimension d : t.getShape().getDimList()) {
      dims.add(d.hasDimValue() ? Long.toString(d.getDimValue())
          : d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
    }
    return new Value(v.getName(), elem, dims);
  }

  private static String elemTypeName(int elemType) {
    TensorProto.DataType dt = TensorProto.DataType.forNumber(elemType);
    return dt == null ? "type" + elemType : dt.name().toLowerCase();
  }
}
