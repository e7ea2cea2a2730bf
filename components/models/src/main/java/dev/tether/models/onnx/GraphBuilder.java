package dev.tether.models.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Emits an ONNX graph one node at a time: {@link #node} is the primitive, {@link #op} the
 * one-output shorthand. Every value gets a unique, readable name ({@code scope/Op_n}), small
 * constants become inline initializers, and weights are registered by their Hugging Face names with
 * their bytes fetched only when the file is written (see {@link OnnxModel}).
 */
final class GraphBuilder {

  static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  static final int INT64 = TensorProto.DataType.INT64_VALUE;
  static final int BOOL = TensorProto.DataType.BOOL_VALUE;

  /** A float32 initializer whose little-endian bytes are produced on demand. */
  record Weight(String name, long[] dims, Supplier<ByteBuffer> bytes) {

    long byteSize() {
      return Arrays.stream(dims).reduce(1, Math::multiplyExact) * Float.BYTES;
    }

    /** The initializer without its data: what precedes raw_data in the file. */
    TensorProto header() {
      TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT);
      for (long d : dims) {
        t.addDims(d);
      }
      return t.build();
    }
  }

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final List<Weight> weights = new ArrayList<>();
  private final Set<String> weightNames = new HashSet<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> counters = new HashMap<>();
  private final Map<String, String> constants = new HashMap<>();
  private String scope = "";

  GraphBuilder(String graphName) {
    graph.setName(graphName);
  }

  /** Prefix for the names of the values emitted next, e.g. "h.3.attn". */
  void scope(String scope) {
    this.scope = scope;
  }

  // ---------------------------------------------------------------- graph inputs and outputs

  /** A graph input; a dim is a symbolic name (String) or a fixed size (Number). */
  String input(String name, int elemType, Object... dims) {
    claim(name);
    graph.addInput(valueInfo(name, elemType, dims));
    return name;
  }

  /** Declares {@code name}, which a node must produce, as a graph output. */
  void output(String name, int elemType, Object... dims) {
    graph.addOutput(valueInfo(name, elemType, dims));
  }

  // ---------------------------------------------------------------- initializers

  /**
   * A weight under its checkpoint name; its bytes are read when the model is written. Registering
   * the same name again (GPT-2's wte feeds the embedding and the tied head) returns it once more.
   */
  String weight(String name, long[] dims, Supplier<ByteBuffer> littleEndianFloats) {
    if (weightNames.contains(name)) {
      return name;
    }
    claim(name);
    weightNames.add(name);
    weights.add(new Weight(name, dims.clone(), littleEndianFloats));
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, split sizes). */
  String ints(long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return constant(INT64, new long[] {values.length}, b);
  }

  /** A 0-D int64 constant (Range's bounds, Gather's index for one dim). */
  String int64Scalar(long value) {
    ByteBuffer b = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
    return constant(INT64, new long[0], b);
  }

  /** A float32 scalar constant. */
  String scalar(float value) {
    ByteBuffer b = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, value);
    return constant(FLOAT, new long[0], b);
  }

  /** A float32 constant of any shape (e.g. RoPE's inverse frequencies). */
  String floats(long[] dims, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return constant(FLOAT, dims, b);
  }

  /** Equal constants share one initializer (every layer's 0.5, √d, axes). */
  private String constant(int type, long[] dims, ByteBuffer data) {
    String key = type + Arrays.toString(dims) + Arrays.toString(data.array());
    String known = constants.get(key);
    if (known != null) {
      return known;
    }
    String name = "const_" + constants.size();
    claim(name);
    constants.put(key, name);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type)
        .setRawData(ByteString.copyFrom(data.rewind()));
    for (long d : dims) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  // ---------------------------------------------------------------- nodes

  /** Appends one node; {@code outputs} are used as given (they must be new names). */
  void node(String opType, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    outputs.forEach(this::claim);
    graph.addNode(NodeProto.newBuilder()
        .setOpType(opType)
        .setName(outputs.get(0))
        .addAllInput(inputs)
        .addAllOutput(outputs)
        .addAllAttribute(List.of(attrs)));
  }

  /** A node with one freshly named output, returned. */
  String op(String opType, List<String> inputs, AttributeProto... attrs) {
    String out = fresh(opType);
    node(opType, inputs, List.of(out), attrs);
    return out;
  }

  String op(String opType, String... inputs) {
    return op(opType, List.of(inputs));
  }

  /** A node with {@code count} freshly named outputs (Split). */
  List<String> ops(String opType, int count, List<String> inputs, AttributeProto... attrs) {
    List<String> outs = new ArrayList<>();
    String base = fresh(opType);
    for (int i = 0; i < count; i++) {
      outs.add(base + ":" + i);
    }
    node(opType, inputs, outs, attrs);
    return outs;
  }

  static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
        .setI(value).build();
  }

  static AttributeProto attr(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
        .setF(value).build();
  }

  static AttributeProto attr(String name, long[] values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  // ---------------------------------------------------------------- result

  /** The graph without weight data, and the weights in the order they were registered. */
  GraphProto graph() {
    return graph.build();
  }

  List<Weight> weights() {
    return List.copyOf(weights);
  }

  // ---------------------------------------------------------------- names

  /** An unused name: scope/stem, then scope/stem_1, scope/stem_2, ... */
  private String fresh(String stem) {
    String base = scope.isEmpty() ? stem : scope + "/" + stem;
    String name = base;
    while (names.contains(name) || names.contains(name + ":0")) {
      name = base + "_" + counters.merge(base, 1, Integer::sum);
    }
    return name;
  }

  private void claim(String name) {
    if (!names.add(name)) {
      throw new IllegalStateException("ONNX value name used twice: " + name);
    }
  }

  private static ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s);
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(
            TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
        .build();
  }
}
