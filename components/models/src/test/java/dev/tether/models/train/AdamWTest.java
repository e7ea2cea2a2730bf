package dev.tether.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW against torch.optim.AdamW's update, worked out by hand in doubles. */
class AdamWTest {

  @Test
  void twoStepsMatchTorchsFormula() {
    double lr = 0.1;
    double b1 = 0.9;
    double b2 = 0.99;
    double eps = 1e-8;
    double wd = 0.05;
    double[] w = {1.0, -2.0, 0.5};
    double[][] grads = {{0.3, -1.0, 2.0}, {-0.6, 0.2, 1.0}};
    double[] m = new double[3];
    double[] v = new double[3];
    try (NDManager nd = NDManager.newBaseManager();
        AdamW adam = new AdamW(nd, new AdamW.Settings(lr, b1, b2, eps, wd))) {
      NDArray param = nd.create(new float[] {1.0f, -2.0f, 0.5f});
      param.setRequiresGradient(true);
      for (int t = 1; t <= 2; t++) {
        double[] g = grads[t - 1];
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          // d/dw Σ w·g = g
          gc.backward(param.mul(nd.create(new float[] {(float) g[0], (float) g[1], (float) g[2]})).sum());
        }
        adam.step(Map.of("w", param));
        for (int i = 0; i < 3; i++) {
          w[i] *= 1 - lr * wd;
          m[i] = b1 * m[i] + (1 - b1) * g[i];
          v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
          double mHat = m[i] / (1 - Math.pow(b1, t));
          double vHat = v[i] / (1 - Math.pow(b2, t));
          w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
        float[] got = param.toFloatArray();
        for (int i = 0; i < 3; i++) {
          assertThat((double) got[i]).isCloseTo(w[i], org.assertj.core.data.Offset.offset(1e-6));
        }
        // Gradients are zeroed after the step, so the next pass does not accumulate into them.
        assertThat(param.getGradient().abs().sum().getFloat()).isZero();
      }
      assertThat(adam.stepCount()).isEqualTo(2);
      float[] m1 = adam.firstMoment("w").toFloatArray();
      for (int i = 0; i < 3; i++) {
        assertThat((double) m1[i]).isCloseTo(m[i], org.assertj.core.data.Offset.offset(1e-7));
      }
    }
  }

  @Test
  void clipGradientNormScalesAllGradientsTogether() {
    try (NDManager nd = NDManager.newBaseManager()) {
      NDArray a = nd.create(new float[] {1f, 1f});
      NDArray b = nd.create(new float[] {1f});
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        // gradients (3, 0) and (4): global norm 5
        gc.backward(a.mul(nd.create(new float[] {3f, 0f})).sum().add(b.mul(4f).sum()));
      }
      Map<String, NDArray> params = new java.util.LinkedHashMap<>();
      params.put("a", a);
      params.put("b", b);
      assertThat(AdamW.clipGradientNorm(params, 10.0)).isCloseTo(5.0, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(a.getGradient().toFloatArray()).containsExactly(3f, 0f); // under the limit: untouched
      assertThat(AdamW.clipGradientNorm(params, 1.0)).isCloseTo(5.0, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(a.getGradient().toFloatArray()[0]).isCloseTo(0.6f, org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(b.getGradient().toFloatArray()[0]).isCloseTo(0.8f, org.assertj.core.data.Offset.offset(1e-6f));
    }
  }
}
