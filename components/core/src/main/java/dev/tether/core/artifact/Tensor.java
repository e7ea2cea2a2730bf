package dev.tether.core.artifact;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor: element type, shape and its raw little-endian bytes, exactly
 * {@code numel × dtype.byteSize()} of them.
 *
 * <p>Tensors read from a file hold a slice of the file's memory mapping, so a 500 MB checkpoint is
 * not copied on load; {@link #toFloats()} and friends copy once, into a Java array. {@link #data()}
 * hands out a read-only view positioned at 0, so callers cannot disturb each other.
 *
 * <p>Equality is by content (name, dtype, shape, bytes), so a tensor written and read back equals
 * the original.
 */
public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {

  public Tensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    shape = shape.clone();
    long numel = numel(name, shape);
    long expectedBytes = Math.multiplyExact(numel, (long) dtype.byteSize());
    if (data.remaining() != expectedBytes) {
      throw new ArtifactException(
          "tensor " + quote(name) + ": " + dtype + " " + Arrays.toString(shape) + " needs "
              + expectedBytes + " bytes, found " + data.remaining());
    }
    data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public ByteBuffer data() {
    // duplicate() resets the byte order to big-endian; set it back.
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  public long numel() {
    return numel(name, shape);
  }

  public static Tensor ofFloats(String name, long[] shape, float[] values) {
    return ofFloats(name, shape, values, DType.F32);
  }

  /** Floats stored as F32, or narrowed to F16 / BF16 (round to nearest even). */
  public static Tensor ofFloats(String name, long[] shape, float[] values, DType dtype) {
    checkCount(name, shape, values.length);
    ByteBuffer buffer = allocate(values.length, dtype);
    switch (dtype) {
      case F32 -> buffer.asFloatBuffer().put(values);
      case F16 -> {
        for (float v : values) {
          buffer.putShort(HalfFloats.floatToF16(v));
        }
      }
      case BF16 -> {
        for (float v : values) {
          buffer.putShort(HalfFloats.floatToBf16(v));
        }
      }
      default -> throw new ArtifactException(
          "tensor " + quote(name) + ": floats can be stored as F32, F16 or BF16, not " + dtype);
    }
    return new Tensor(name, dtype, shape, buffer.rewind());
  }

  public static Tensor ofInts(String name, long[] shape, int[] values) {
    checkCount(name, shape, values.length);
    ByteBuffer buffer = allocate(values.length, DType.I32);
    buffer.asIntBuffer().put(values);
    return new Tensor(name, DType.I32, shape, buffer);
  }

  public static Tensor ofLongs(String name, long[] shape, long[] values) {
    checkCount(name, shape, values.length);
    ByteBuffer buffer = allocate(values.length, DType.I64);
    buffer.asLongBuffer().put(values);
    return new Tensor(name, DType.I64, shape, buffer);
  }

  /** Raw little-endian bytes of any dtype, e.g. U8 pixels or bytes produced elsewhere. */
  public static Tensor ofBytes(String name, long[] shape, byte[] bytes, DType dtype) {
    return new Tensor(name, dtype, shape, ByteBuffer.wrap(bytes.clone()));
  }

  public static Tensor ofBools(String name, long[] shape, boolean[] values) {
    checkCount(name, shape, values.length);
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) (values[i] ? 1 : 0);
    }
    return new Tensor(name, DType.BOOL, shape, ByteBuffer.wrap(bytes));
  }

  /** F32 as stored; F16 and BF16 widened exactly; integers and BOOL converted (I64 may round). */
  public float[] toFloats() {
    int n = arrayLength();
    float[] out = new float[n];
    ByteBuffer b = data();
    switch (dtype) {
      case F32 -> b.asFloatBuffer().get(out);
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = HalfFloats.f16ToFloat(b.getShort());
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = HalfFloats.bf16ToFloat(b.getShort());
        }
      }
      case I32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt();
        }
      }
      case I64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getLong();
        }
      }
      case U8, BOOL -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get() & 0xFF;
        }
      }
    }
    return out;
  }

  /** I32 as stored; I64 when every value fits in an int; U8 unsigned; BOOL as 0/1. */
  public int[] toInts() {
    int n = arrayLength();
    int[] out = new int[n];
    ByteBuffer b = data();
    switch (dtype) {
      case I32 -> b.asIntBuffer().get(out);
      case I64 -> {
        for (int i = 0; i < n; i++) {
          long v = b.getLong();
          if (v != (int) v) {
            throw new ArtifactException(
                "tensor " + quote(name) + ": I64 value " + v + " at flat index " + i
                    + " does not fit in int32");
          }
          out[i] = (int) v;
        }
      }
      case U8, BOOL -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get() & 0xFF;
        }
      }
      default -> throw notInteger("int");
    }
    return out;
  }

  /** I64 as stored; I32, U8 and BOOL widened. */
  public long[] toLongs() {
    int n = arrayLength();
    long[] out = new long[n];
    ByteBuffer b = data();
    switch (dtype) {
      case I64 -> b.asLongBuffer().get(out);
      case I32 -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt();
        }
      }
      case U8, BOOL -> {
        for (int i = 0; i < n; i++) {
          out[i] = b.get() & 0xFF;
        }
      }
      default -> throw notInteger("long");
    }
    return out;
  }

  /**
   * BOOL, or an integer mask (Hugging Face stores attention masks as integers). Every value must be
   * 0 or 1: anything else means ids were passed where a mask belongs.
   */
  public boolean[] toBools() {
    if (dtype.isFloatingPoint()) {
      throw notInteger("boolean");
    }
    long[] values = toLongs();
    boolean[] out = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0 && values[i] != 1) {
        throw new ArtifactException(
            "tensor " + quote(name) + ": expected 0 or 1 at flat index " + i + ", found "
                + values[i]);
      }
      out[i] = values[i] == 1;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && data.equals(t.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), data);
  }

  @Override
  public String toString() {
    return "Tensor[" + name + ", " + dtype + ", " + Arrays.toString(shape) + ", "
        + data.remaining() + " bytes]";
  }

  static long numel(String name, long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new ArtifactException(
            "tensor " + quote(name) + ": shape " + Arrays.toString(shape)
                + " has a negative dimension");
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        throw new ArtifactException(
            "tensor " + quote(name) + ": shape " + Arrays.toString(shape) + " overflows int64");
      }
    }
    return n;
  }

  static String quote(String name) {
    StringBuilder sb = new StringBuilder("'");
    for (char c : name.toCharArray()) {
      if (c < 0x20 || c == 0x7F) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('\'').toString();
  }

  private int arrayLength() {
    long n = numel();
    if (n > Integer.MAX_VALUE - 8) {
      throw new ArtifactException(
          "tensor " + quote(name) + ": " + n + " elements do not fit in one Java array");
    }
    return (int) n;
  }

  private ArtifactException notInteger(String target) {
    return new ArtifactException(
        "tensor " + quote(name) + ": expected an integer or BOOL dtype to read as " + target
            + ", found " + dtype);
  }

  private static void checkCount(String name, long[] shape, int count) {
    long numel = numel(name, shape);
    if (numel != count) {
      throw new ArtifactException(
          "tensor " + quote(name) + ": shape " + Arrays.toString(shape) + " has " + numel
              + " elements, found " + count + " values");
    }
  }

  private static ByteBuffer allocate(int count, DType dtype) {
    return ByteBuffer.allocate(Math.multiplyExact(count, dtype.byteSize()))
        .order(ByteOrder.LITTLE_ENDIAN);
  }
}
