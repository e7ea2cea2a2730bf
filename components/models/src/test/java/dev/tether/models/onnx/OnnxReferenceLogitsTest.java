package dev.tether.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tether.core.artifact.Tensor;
import dev.tether.models.Reference;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.config.ModelConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exported GPT-2 and Llama, run by ONNX Runtime, against make_reference.py's independent torch
 * implementation on the same weights and inputs (rows 1 and 2 left-padded): logits agree to 1e-4
 * at every non-padding position, and so do the response tokens' log-probs at temperature 0.7. Llama's checkpoint exercises grouped-query attention, θ = 5000,
 * linear rope scaling and an untied head; GPT-2's a tied head and Conv1D weights.
 */
class OnnxReferenceLogitsTest {

  static final double TOLERANCE = 1e-4;

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void onnxRuntimeLogitsMatchTheReference(String name) {
    Reference.Expected ex = Reference.expected(name);
    Path file = tmp.resolve(name + ".onnx");
    ModelConfig config = CheckpointReader.readConfig(Reference.folder(name));
    OnnxExport.checkpoint(Reference.folder(name), file);
    try (OnnxScorer scorer = OnnxScorer.load(file);
        NDManager out = NDManager.newBaseManager()) {
      NDArray logits = scorer.logits(out, batch(ex));
      assertThat(logits.getShape().getShape()).containsExactly(3, 8, config.vocabSize());
      double diff = maxDiffOnValid(logits.toFloatArray(), ex.get("logits"), ex.get("attention_mask"));
      System.out.printf("%s: ONNX Runtime max |logits − reference| = %.3g%n", name, diff);
      assertThat(diff).isLessThan(TOLERANCE);
      assertThat(absMax(ex.get("logits").toFloats())).isGreaterThan(1.0);

      // Teacher-forced log-probs of the last columns at the sampler's temperature, as the
      // reference step computes them.
      int queryLength = Integer.parseInt(ex.metadata().get("query_len"));
      float temperature = Float.parseFloat(ex.metadata().get("temperature"));
      float[][] logProbs = scorer.responseLogProbs(batch(ex), queryLength, temperature);
      float[] want = ex.get("response_logprobs").toFloats();
      double lpDiff = 0;
      for (int b = 0; b < logProbs.length; b++) {
        assertThat(logProbs[b]).hasSize(8 - queryLength);
        for (int j = 0; j < logProbs[b].length; j++) {
          lpDiff = Math.max(lpDiff, Math.abs(logProbs[b][j] - want[b * logProbs[b].length + j]));
        }
      }
      System.out.printf("%s: ONNX Runtime max |response log-probs − reference| = %.3g%n", name, lpDiff);
      assertThat(lpDiff).isLessThan(TOLERANCE);
    }
  }

  static TokenBatch batch(Reference.Expected ex) {
    Tensor ids = ex.get("input_ids");
    long[] shape = ids.shape();
    return new TokenBatch((int) shape[0], (int) shape[1], toLongs(ids.toInts()),
        toLongs(ex.get("attention_mask").toInts()));
  }

  static long[] toLongs(int[] x) {
    long[] out = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }

  /** Max |got − expected| over positions whose mask is 1; both [B,T,...] row-major. */
  static double maxDiffOnValid(float[] got, Tensor expected, Tensor mask) {
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
