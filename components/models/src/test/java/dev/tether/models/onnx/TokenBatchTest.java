package dev.tether.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The scorer's Java side: batches, positions, and log_softmax at one index, by hand-worked values. */
class TokenBatchTest {

  @Test
  void positionsCountRealTokensFromTheFirstOne() {
    TokenBatch b = TokenBatch.of(
        new long[][] {{0, 0, 3, 4}, {5, 6, 7, 0}},
        new long[][] {{0, 0, 1, 1}, {1, 1, 1, 0}});
    assertThat(b.positionIds()).containsExactly(0, 0, 0, 1, 0, 1, 2, 2);
    assertThat(b.rows(1, 2).inputIds()).containsExactly(5, 6, 7, 0);
    assertThat(b.id(0, 3)).isEqualTo(4);
  }

  @Test
  void raggedOrInvalidBatchesAreRefusedWithTheirPlace() {
    assertThatThrownBy(() -> TokenBatch.of(new long[][] {{1, 2}, {3}}, new long[][] {{1, 1}, {1}}))
        .hasMessageContaining("row 1 has 1 ids and 1 mask values, expected 2");
    assertThatThrownBy(() -> TokenBatch.of(new long[][] {{1, 2}}, new long[][] {{1, 2}}))
        .hasMessageContaining("attention_mask[0, 1] is 2, expected 0 or 1");
    assertThatThrownBy(() -> TokenBatch.of(new long[][] {{1, -5}}, new long[][] {{1, 1}}))
        .hasMessageContaining("input_ids[0, 1] is -5");
  }

  @Test
  void logSoftmaxAtOneIndexMatchesHandWorkedValues() {
    // softmax(0, ln 3) = (1/4, 3/4)
    assertThat(OnnxScorer.logSoftmaxAt(new float[] {0f, (float) Math.log(3)}, 1, 1f))
        .isCloseTo((float) Math.log(0.75), within(1e-6f));
    // temperature 2 halves the logits: p = √3 / (1 + √3)
    assertThat(OnnxScorer.logSoftmaxAt(new float[] {0f, (float) Math.log(3)}, 1, 2f))
        .isCloseTo((float) Math.log(Math.sqrt(3) / (1 + Math.sqrt(3))), within(1e-6f));
    // large logits do not overflow: two equal ones give ln ½
    assertThat(OnnxScorer.logSoftmaxAt(new float[] {1000f, 1000f, -1000f}, 0, 1f))
        .isCloseTo((float) Math.log(0.5), within(1e-6f));
  }
}
