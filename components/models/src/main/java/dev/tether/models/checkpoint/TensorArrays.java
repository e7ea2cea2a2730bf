package dev.tether.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tether.core.artifact.DType;
import dev.tether.core.artifact.Tensor;
import java.nio.ByteBuffer;

/** Copies between safetensors {@link Tensor}s and engine arrays. */
public final class TensorArrays {

  private TensorArrays() {}

  /** A float32 array; F16 and BF16 are up-cast exactly, integer types converted. */
  public static NDArray toFloatArray(Tensor t, NDManager manager) {
    Shape shape = new Shape(t.shape());
    if (t.dtype() == DType.F32) {
      // A private direct copy: the tensor's bytes are a read-only file mapping, and training
      // updates weights in place.
      ByteBuffer copy = manager.allocateDirect(Math.toIntExact(t.numel() * 4));
      copy.put(t.data());
      copy.rewind();
      return manager.create(copy, shape, DataType.FLOAT32);
    }
    return manager.create(t.toFloats(), shape);
  }

  public static NDArray toLongArray(Tensor t, NDManager manager) {
    return manager.create(t.toLongs(), new Shape(t.shape()));
  }

  /** An F32 tensor with the array's exact bits. */
  public static Tensor toTensor(String name, NDArray array) {
    NDArray f = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, true);
    try {
      return Tensor.ofFloats(name, f.getShape().getShape(), f.toFloatArray());
    } finally {
      if (f != array) {
        f.close();
      }
    }
  }
}
