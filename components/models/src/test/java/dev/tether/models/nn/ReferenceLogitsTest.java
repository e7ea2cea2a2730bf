package dev.tether.models.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tether.core.artifact.Tensor;
import dev.tether.models.Reference;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.config.ModelConfig;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tether's GPT-2 and Llama against make_reference.py's independent torch implementation, on the
 * same weights and inputs (rows 1 and 2 left-padded): logits and final hidden state agree to 1e-4
 * at every non-padding position.
 */
class ReferenceLogitsTest {

  static final double TOLERANCE = 1e-4;

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void logitsAndHiddenMatchTheReference(String name) {
    Reference.Expected ex = Reference.expected(name);
    try (NDManager m = NDManager.newBaseManager()) {
      ModelConfig config = CheckpointReader.readConfig(Reference.folder(name));
      try (CausalLM model = CheckpointReader.readModel(Reference.folder(name), config, m)) {
        NDArray ids = array(m, ex.get("input_ids"));
        NDArray mask = array(m, ex.get("attention_mask"));
        NDArray hidden = model.hidden(ids, mask, null);
        NDArray logits = model.logits(hidden);

        double logitDiff = maxDiffOnValid(logits, ex.get("logits"), ex.get("attention_mask"));
        double hiddenDiff = maxDiffOnValid(hidden, ex.get("hidden"), ex.get("attention_mask"));
        System.out.printf("%s: max |logits − reference| = %.3g, hidden %.3g%n", name, logitDiff, hiddenDiff);
        assertThat(logitDiff).isLessThan(TOLERANCE);
        assertThat(hiddenDiff).isLessThan(TOLERANCE);
        // The comparison is not vacuous: logits are O(1) and differ across positions.
        assertThat(absMax(ex.get("logits").toFloats())).isGreaterThan(1.0);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void valueHeadMatchesTheReference() {
    Reference.Expected ex = Reference.expected("gpt2-tiny");
    try (NDManager m = NDManager.newBaseManager()) {
      ModelConfig config = CheckpointReader.readConfig(Reference.folder("gpt2-tiny"));
      Optional<ValueHead> head = CheckpointReader.readValueHead(Reference.folder("gpt2-tiny"), config, m);
      assertThat(head).isPresent();
      try (CausalLM model = CheckpointReader.readModel(Reference.folder("gpt2-tiny"), config, m);
          ValueHead v = head.get()) {
        NDArray hidden = model.hidden(array(m, ex.get("input_ids")), array(m, ex.get("attention_mask")), null);
        NDArray values = v.values(hidden);
        assertThat(values.getShape()).isEqualTo(new Shape(3, 8));
        double diff = maxDiffOnValid(values.expandDims(2), ex.get("values"), ex.get("attention_mask"));
        System.out.printf("gpt2-tiny: max |values − reference| = %.3g%n", diff);
        assertThat(diff).isLessThan(TOLERANCE);
      }
    }
  }

  static NDArray array(NDManager m, Tensor t) {
    return m.create(t.toInts(), new Shape(t.shape()));
  }

  /** Max |a − expected| over positions where mask is 1; a is [B,T,...], expected flat row-major. */
  static double maxDiffOnValid(NDArray a, Tensor expected, Tensor mask) {
    float[] got = a.toFloatArray();
    float[] want = expected.toFloats();
    int[] valid = mask.toInts();
    assertThat(got).hasSameSizeAs(want);
    int perPosition = got.length / valid.length;
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      if (valid[i / perPosition] == 1) {
        max = Math.max(max, Math.abs(got[i] - want[i]));
      }
    }
    return max;
  }

  static double absMax(float[] x) {
    double m = 0;
    for (float v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
