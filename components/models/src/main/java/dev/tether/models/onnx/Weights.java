package dev.tether.models.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tether.core.artifact.ArtifactException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * A model's named float32 arrays as seen by a graph: {@link #get} registers an array as an
 * initializer under its Hugging Face name the first time a node needs it. The bytes are copied out
 * of the array only when the file is written, one tensor at a time.
 */
final class Weights {

  private final GraphBuilder builder;
  private final Map<String, NDArray> arrays;

  Weights(GraphBuilder builder, Map<String, NDArray> arrays) {
    this.builder = builder;
    this.arrays = arrays;
  }

  /** The initializer's name (the weight's own name). */
  String get(String name) {
    NDArray a = array(name);
    return builder.weight(name, a.getShape().getShape(), () -> littleEndian(a));
  }

  long[] shape(String name) {
    return array(name).getShape().getShape();
  }

  private NDArray array(String name) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new ArtifactException("ONNX export: no weight " + name + " among the model's "
          + arrays.size() + " parameters");
    }
    if (a.getDataType() != DataType.FLOAT32) {
      throw new ArtifactException("ONNX export: weight " + name + " is " + a.getDataType()
          + ", expected float32");
    }
    return a;
  }

  private static ByteBuffer littleEndian(NDArray a) {
    float[] values = a.toFloatArray();
    ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b;
  }
}
