package dev.tether.models.train;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * AdamW's update of one float32 parameter in a single pass over the memory of w, g, m and v,
 * in Java. Through the engine the same update is some fifteen element-wise ops, each a full pass
 * over 500 MB of GPT-2-small state, plus temporaries as large as the embedding; here each
 * element is read once and written once, so the step is bound by reading the four arrays.
 *
 * <p>Every element gets the float operations, in the same order, that {@link AdamW}'s engine
 * path performs (Java float arithmetic is IEEE single precision and never fused), so the moments
 * are the same bits; the weights differ by at most an ulp where torch's vectorised sqrt is not
 * correctly rounded and Java's is. The result does not depend on the thread count. It runs only on arrays whose memory it can address: a contiguous CPU
 * array's {@code toByteBuffer(true)} is its own memory, and {@link #apply} checks that it is by
 * writing through the buffer and reading back through the engine; otherwise it declines and the
 * caller takes the engine path.
 */
final class FusedAdamW {

  /** Elements per task: small enough to stay in L1 across the loop, large to amortise the calls. */
  private static final int CHUNK = 8192;
  /** Below this many elements one thread does it all. */
  private static final int PARALLEL_MIN = 1 << 18;

  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][CHUNK]);

  private FusedAdamW() {}

  /** The scalars of one step; each float as the engine path rounds it. */
  record Coefficients(float decay, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
      float bias2Sqrt, float eps, float stepSize) {}

  /**
   * Updates w, m and v in place from g (which is only read).
   *
   * @return false, touching nothing, when some array's memory is not directly addressable
   */
  static boolean apply(NDArray w, NDArray g, NDArray m, NDArray v, Coefficients c) {
    FloatBuffer fw = alias(w);
    FloatBuffer fm = fw == null ? null : alias(m);
    FloatBuffer fv = fm == null ? null : alias(v);
    if (fv == null) {
      return false;
    }
    FloatBuffer fg = floats(g.toByteBuffer(true)); // a copy is fine: only read
    int n = fw.capacity();
    if (fg.capacity() != n || fm.capacity() != n || fv.capacity() != n) {
      return false;
    }
    int chunks = (n + CHUNK - 1) / CHUNK;
    IntStream range = IntStream.range(0, chunks);
    (n >= PARALLEL_MIN ? range.parallel() : range).forEach(k -> chunk(fw, fg, fm, fv, k * CHUNK, Math.min(CHUNK, n - k * CHUNK), c));
    return true;
  }

  private static void chunk(FloatBuffer fw, FloatBuffer fg, FloatBuffer fm, FloatBuffer fv, int from, int len,
      Coefficients c) {
    float[][] s = SCRATCH.get();
    float[] w = s[0];
    float[] g = s[1];
    float[] m = s[2];
    float[] v = s[3];
    fw.get(from, w, 0, len);
    fg.get(from, g, 0, len);
    fm.get(from, m, 0, len);
    fv.get(from, v, 0, len);
    float decay = c.decay();
    float b1 = c.beta1();
    float a1 = c.oneMinusBeta1();
    float b2 = c.beta2();
    float a2 = c.oneMinusBeta2();
    float bias2Sqrt = c.bias2Sqrt();
    float eps = c.eps();
    float stepSize = c.stepSize();
    for (int i = 0; i < len; i++) {
      float gi = g[i];
      float mi = m[i] * b1 + gi * a1;
      float vi = v[i] * b2 + gi * gi * a2;
      float denominator = (float) Math.sqrt(vi) / bias2Sqrt + eps;
      w[i] = w[i] * decay - mi / denominator * stepSize;
      m[i] = mi;
      v[i] = vi;
    }
    fw.put(from, w, 0, len);
    fm.put(from, m, 0, len);
    fv.put(from, v, 0, len);
  }

  /** The array's own memory as floats, or null when the engine hands out a copy. */
  private static FloatBuffer alias(NDArray a) {
    ByteBuffer bytes = a.toByteBuffer(true);
    if (!bytes.isDirect() || a.size() == 0) {
      return null;
    }
    FloatBuffer f = floats(bytes);
    float old = f.get(0);
    float probe = Float.intBitsToFloat(Float.floatToRawIntBits(old) ^ 1);
    f.put(0, probe);
    float seen;
    try (NDArray flat = a.reshape(-1); NDArray first = flat.get(0)) {
      seen = first.getFloat();
    }
    f.put(0, old);
    return Float.floatToRawIntBits(seen) == Float.floatToRawIntBits(probe) ? f : null;
  }

  private static FloatBuffer floats(ByteBuffer bytes) {
    return bytes.order(ByteOrder.nativeOrder()).asFloatBuffer();
  }
}
