package dev.tether.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one-pass Java update gives the engine path's moments bit for bit and its weights to within
 * an ulp or two (Java's sqrt is correctly rounded, torch's vectorised one not always), and it
 * declines arrays it cannot address.
 */
class FusedAdamWTest {

  static final FusedAdamW.Coefficients C =
      new FusedAdamW.Coefficients(0.999f, 0.9f, 0.1f, 0.999f, 0.001f, 0.0447f, 1e-8f, 0.0123f);

  @Test
  void matchesTheEnginePath() {
    // 300 000 elements: several chunks, on more than one thread.
    Shape shape = new Shape(600, 500);
    try (NDManager nd = NDManager.newBaseManager()) {
      SplittableRandom rng = new SplittableRandom(3);
      float[] w = random(rng, shape, 1);
      float[] g = random(rng, shape, 1e-3);
      float[] m = random(rng, shape, 1e-3);
      float[] v = abs(random(rng, shape, 1e-6));
      NDArray[] fused = {nd.create(w, shape), nd.create(g, shape), nd.create(m, shape), nd.create(v, shape)};
      NDArray[] engine = {nd.create(w, shape), nd.create(g, shape), nd.create(m, shape), nd.create(v, shape)};
      for (int step = 0; step < 3; step++) {
        assertThat(FusedAdamW.apply(fused[0], fused[1], fused[2], fused[3], C)).isTrue();
        AdamW.engineUpdate(engine[0], engine[1], engine[2], engine[3], C);
      }
      assertThat(fused[0].toFloatArray()).isNotEqualTo(w);
      for (int i : new int[] {2, 3}) {
        assertThat(bits(fused[i].toFloatArray())).as("moment %d", i).containsExactly(bits(engine[i].toFloatArray()));
      }
      float[] a = fused[0].toFloatArray();
      float[] b = engine[0].toFloatArray();
      for (int i = 0; i < a.length; i++) {
        // w·decay − update: an ulp of the update's rounding shows at w's magnitude (|w| ~ 1).
        assertThat(Math.abs(a[i] - b[i])).as("w[%d]", i).isLessThanOrEqualTo(2 * Math.ulp(1f));
      }
      assertThat(fused[1].toFloatArray()).as("the gradient is only read").containsExactly(g);
    }
  }

  @Test
  void declinesAViewWhoseBufferIsACopy() {
    try (NDManager nd = NDManager.newBaseManager()) {
      NDArray base = nd.arange(0f, 6f).reshape(2, 3);
      NDArray transposed = base.transpose(); // not contiguous: toByteBuffer copies
      NDArray ones = nd.ones(new Shape(3, 2));
      assertThat(FusedAdamW.apply(transposed, ones, ones.duplicate(), ones.duplicate(), C)).isFalse();
      assertThat(base.toFloatArray()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
    }
  }

  static float[] random(SplittableRandom rng, Shape shape, double scale) {
    float[] x = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextGaussian() * scale);
    }
    return x;
  }

  static float[] abs(float[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.abs(x[i]);
    }
    return x;
  }

  static int[] bits(float[] x) {
    int[] b = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      b[i] = Float.floatToRawIntBits(x[i]);
    }
    return b;
  }
}
