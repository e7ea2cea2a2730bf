package dev.tether.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.models.Reference;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Response log-probs from the exported model on ONNX Runtime against the same model's forward on
 * the DJL PyTorch engine (logits / temperature, log_softmax, gather), over several batch and
 * sequence shapes whose queries are left-padded and responses right-padded, as in a rollout.
 * Besides the reference checkpoints, random models cover what they do not: Llama with a tied head,
 * no grouped-query sharing and llama3 rope scaling; GPT-2 with an untied head and erf GELU.
 */
class OnnxVsPyTorchTest {

  static final double TOLERANCE = 1e-4;

  @TempDir Path tmp;

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("gpt2-tiny", null),
        Arguments.of("llama-tiny", null),
        Arguments.of("llama-tied-mha-llama3", """
            {"model_type": "llama", "vocab_size": 50, "hidden_size": 24, "intermediate_size": 40,
             "num_hidden_layers": 2, "num_attention_heads": 3, "num_key_value_heads": 3,
             "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
             "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                              "high_freq_factor": 4.0, "original_max_position_embeddings": 16},
             "tie_word_embeddings": true}"""),
        Arguments.of("gpt2-untied-gelu", """
            {"model_type": "gpt2", "vocab_size": 40, "n_positions": 40, "n_embd": 16,
             "n_layer": 3, "n_head": 2, "activation_function": "gelu",
             "tie_word_embeddings": false}"""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void responseLogProbsMatchThePyTorchEngine(String name, String configJson) throws IOException {
    Path file = tmp.resolve(name + ".onnx");
    // (batch, query length, response length, rows per ONNX Runtime call)
    int[][] shapes = {{1, 3, 2, 8}, {3, 5, 4, 8}, {5, 6, 9, 2}, {2, 1, 12, 8}};
    SplittableRandom rng = new SplittableRandom(name.hashCode());
    try (NDManager m = NDManager.newBaseManager()) {
      try (CausalLM model = model(name, configJson, m)) {
        OnnxExport.causalLm(model).write(file);
        int vocab = model.config().vocabSize();
        double worst = 0;
        for (int[] s : shapes) {
          Padded p = Padded.random(rng, s[0], s[1], s[2], vocab);
          float temperature = 0.7f;
          float[][] ort;
          try (OnnxScorer scorer = OnnxScorer.load(file, Map.of(OnnxScorer.ROWS_PER_RUN, Integer.toString(s[3])))) {
            ort = scorer.responseLogProbs(p.batch, s[1], temperature);
          }
          float[] pt = pyTorchLogProbs(m, model, p.batch, s[1], temperature);
          int r = s[2];
          for (int b = 0; b < s[0]; b++) {
            assertThat(ort[b]).hasSize(r);
            for (int j = 0; j < r; j++) {
              if (p.batch.attentionMask()[b * p.batch.sequence() + s[1] + j] == 1) {
                assertThat(ort[b][j]).isLessThan(0f); // a log-probability, and not a constant
                worst = Math.max(worst, Math.abs(ort[b][j] - pt[b * r + j]));
              }
            }
          }
        }
        System.out.printf("%s: max |ORT − PyTorch| response log-prob = %.3g%n", name, worst);
        assertThat(worst).isLessThan(TOLERANCE);
      }
    }
  }

  /** The PyTorch engine's log p of each response token: logits[:, q−1:T−1] / τ, log_softmax, gather. */
  static float[] pyTorchLogProbs(NDManager parent, CausalLM model, TokenBatch batch, int q, float temperature) {
    try (NDManager m = parent.newSubManager()) {
      Shape shape = new Shape(batch.batch(), batch.sequence());
      NDArray ids = m.create(batch.inputIds(), shape);
      NDArray logits = model.logits(ids, m.create(batch.attentionMask(), shape));
      NDArray pred = logits.get(new NDIndex(":, {}:{}, :", q - 1, batch.sequence() - 1)).div(temperature);
      NDArray response = ids.get(new NDIndex(":, {}:", q));
      return pred.logSoftmax(-1).gather(response.expandDims(-1), -1).toFloatArray();
    }
  }

  static CausalLM model(String name, String configJson, NDManager m) throws IOException {
    if (configJson == null) {
      Path dir = Reference.folder(name);
      return CheckpointReader.readModel(dir, CheckpointReader.readConfig(dir), m);
    }
    JsonNode json = ModelConfig.JSON.readTree(configJson);
    ModelConfig config = ModelConfig.parse(json, name);
    // std 0.3, not 0.02: logits far from uniform, so a wrong wire shows.
    return CausalLM.create(config,
        Parameters.initialize(m, CausalLM.parameterShapes(config), 0.3, name.hashCode()));
  }

  /** Left-padded queries followed by right-padded responses, every row with ≥ 1 real query token. */
  record Padded(TokenBatch batch) {
    static Padded random(SplittableRandom rng, int rows, int q, int r, int vocab) {
      long[][] ids = new long[rows][q + r];
      long[][] mask = new long[rows][q + r];
      for (int b = 0; b < rows; b++) {
        int queryPad = rows == 1 ? 0 : rng.nextInt(q);
        int responseLength = 1 + rng.nextInt(r);
        for (int t = 0; t < q + r; t++) {
          boolean real = t >= queryPad && t < q + responseLength;
          ids[b][t] = real ? rng.nextInt(vocab) : 0;
          mask[b][t] = real ? 1 : 0;
        }
      }
      return new Padded(TokenBatch.of(ids, mask));
    }
  }
}
