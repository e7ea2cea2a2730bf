package dev.tether.models.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tether.core.artifact.Tensor;
import dev.tether.models.Reference;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.ValueHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Teacher-forced log-probs and entropy at temperature 0.7 against make_reference.py: the fixed
 * inputs split into a (left-padded) 4-token query and a 4-token response.
 */
class TokenScorerTest {

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void logprobsAndEntropyMatchTheReference(String name) {
    Reference.Expected ex = Reference.expected(name);
    int queryLength = Integer.parseInt(ex.metadata().get("query_len"));
    float temperature = Float.parseFloat(ex.metadata().get("temperature"));
    try (NDManager m = NDManager.newBaseManager()) {
      ModelConfig config = CheckpointReader.readConfig(Reference.folder(name));
      try (CausalLM model = CheckpointReader.readModel(Reference.folder(name), config, m)) {
        NDArray ids = ints(m, ex.get("input_ids"));
        NDArray mask = ints(m, ex.get("attention_mask"));
        String q = ":, :" + queryLength;
        String r = ":, " + queryLength + ":";
        TokenScorer.Scores s = TokenScorer.score(model, null, ids.get(q), mask.get(q), ids.get(r),
            mask.get(r), temperature);
        assertThat(s.logprobs().getShape()).isEqualTo(new Shape(3, 4));
        assertThat(s.values()).isNull();
        double lp = maxDiff(s.logprobs().toFloatArray(), ex.get("response_logprobs").toFloats());
        double ent = maxDiff(s.entropy().toFloatArray(), ex.get("response_entropy").toFloats());
        System.out.printf("%s: teacher-forced max diff: log-prob %.3g, entropy %.3g%n", name, lp, ent);
        assertThat(lp).isLessThan(1e-4);
        assertThat(ent).isLessThan(1e-4);
      }
    }
  }

  @Test
  void maskedResponseTokensScoreZeroAndValuesComeFromTheHead() {
    Reference.Expected ex = Reference.expected("gpt2-tiny");
    try (NDManager m = NDManager.newBaseManager()) {
      ModelConfig config = CheckpointReader.readConfig(Reference.folder("gpt2-tiny"));
      try (CausalLM model = CheckpointReader.readModel(Reference.folder("gpt2-tiny"), config, m);
          ValueHead head = CheckpointReader.readValueHead(Reference.folder("gpt2-tiny"), config, m).orElseThrow()) {
        NDArray ids = ints(m, ex.get("input_ids"));
        NDArray mask = ints(m, ex.get("attention_mask"));
        NDArray responseMask = m.create(new int[] {1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0}, new Shape(3, 4));
        TokenScorer.Scores s = TokenScorer.score(model, head, ids.get(":, :4"), mask.get(":, :4"),
            ids.get(":, 4:"), responseMask, 1f);
        float[] lp = s.logprobs().toFloatArray();
        float[] values = s.values().toFloatArray();
        float[] expectedValues = ex.get("values").toFloats(); // [3,8]
        int[] maskFlat = responseMask.toIntArray();
        for (int i = 0; i < 12; i++) {
          if (maskFlat[i] == 0) {
            assertThat(lp[i]).isZero();
            assertThat(values[i]).isZero();
          } else {
            assertThat(lp[i]).isLessThan(0f);
            // Response token j is predicted at position 3 + j, where the value is read.
            int b = i / 4;
            int j = i % 4;
            assertThat((double) values[i]).isCloseTo(expectedValues[b * 8 + 3 + j], org.assertj.core.data.Offset.offset(1e-4));
          }
        }
      }
    }
  }

  @Test
  void scoringKeepsOnlyItsResults() {
    try (NDManager m = NDManager.newBaseManager()) {
      ModelConfig config = CheckpointReader.readConfig(Reference.folder("llama-tiny"));
      try (CausalLM model = CheckpointReader.readModel(Reference.folder("llama-tiny"), config, m);
          NDManager caller = m.newSubManager()) {
        NDArray q = caller.create(new int[] {0, 5, 9, 7, 3, 22}, new Shape(2, 3));
        NDArray qm = caller.create(new int[] {0, 1, 1, 1, 1, 1}, new Shape(2, 3));
        NDArray r = caller.create(new int[] {14, 15, 30, 31}, new Shape(2, 2));
        NDArray rm = caller.create(new int[] {1, 1, 1, 0}, new Shape(2, 2));
        int weights = model.parameters().manager().getManagedArrays().size();
        int inputs = caller.getManagedArrays().size();
        for (int i = 0; i < 3; i++) {
          TokenScorer.score(model, null, q, qm, r, rm, 1f);
        }
        assertThat(caller.getManagedArrays()).hasSize(inputs + 3 * 2); // log-probs and entropy
        assertThat(model.parameters().manager().getManagedArrays()).hasSize(weights);
      }
    }
  }

  static NDArray ints(NDManager m, Tensor t) {
    return m.create(t.toInts(), new Shape(t.shape()));
  }

  static double maxDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

}
