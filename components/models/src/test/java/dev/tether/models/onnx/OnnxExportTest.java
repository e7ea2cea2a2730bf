package dev.tether.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.tether.models.Reference;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an export writes: a protobuf that parses to exactly the model described, opset 17 with
 * symbolic batch/sequence dims, weights as initializers under their Hugging Face names and shapes;
 * the same model with external data; and the reward-model variant (score head at the last
 * non-padding token) against the PyTorch engine's trunk.
 */
class OnnxExportTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void fileIsTheDescribedModelWithHuggingFaceWeightNames(String name) throws IOException {
    try (NDManager m = NDManager.newBaseManager(); CausalLM model = read(name, m)) {
      OnnxModel onnx = OnnxExport.causalLm(model);
      Path file = tmp.resolve(name + ".onnx");
      onnx.write(file);
      ModelProto parsed = ModelProto.parseFrom(Files.readAllBytes(file));
      // The streamed file and protobuf's own encoding of the same model describe one model.
      assertThat(parsed).isEqualTo(onnx.toModelProto());

      assertThat(parsed.getIrVersion()).isEqualTo(8);
      assertThat(parsed.getOpsetImport(0).getVersion()).isEqualTo(17);
      assertThat(dims(parsed.getGraph().getInput(0))).containsExactly("batch", "sequence");
      assertThat(dims(parsed.getGraph().getInput(1))).containsExactly("batch", "sequence");
      assertThat(parsed.getGraph().getOutput(0).getName()).isEqualTo("logits");
      assertThat(dims(parsed.getGraph().getOutput(0)))
          .containsExactly("batch", "sequence", Integer.toString(model.config().vocabSize()));

      Map<String, List<Long>> weights = new LinkedHashMap<>();
      for (TensorProto t : parsed.getGraph().getInitializerList()) {
        if (!t.getName().startsWith("const_")) {
          weights.put(t.getName(), t.getDimsList());
          assertThat(t.getRawData().size()).isEqualTo(4 * t.getDimsList().stream().reduce(1L, (a, b) -> a * b));
        }
      }
      Map<String, List<Long>> expected = new LinkedHashMap<>();
      CausalLM.parameterShapes(model.config()).forEach((n, s) ->
          expected.put(n, Arrays.stream(s.getShape()).boxed().toList()));
      assertThat(weights).containsExactlyInAnyOrderEntriesOf(expected);
      assertThat(weights).containsKey(name.startsWith("gpt2")
          ? "transformer.h.0.attn.c_attn.weight" : "model.layers.0.self_attn.q_proj.weight");
      // The stored bytes are the model's weights.
      String first = name.startsWith("gpt2") ? "transformer.wte.weight" : "model.embed_tokens.weight";
      float[] stored = new float[model.parameters().get(first).toFloatArray().length];
      parsed.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(first)).findFirst()
          .orElseThrow().getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer().get(stored);
      assertThat(stored).containsExactly(model.parameters().get(first).toFloatArray());

      assertThat(OnnxSignature.read(file).metadata(OnnxExport.CONFIG_METADATA).orElseThrow())
          .contains("\"model_type\":\"" + model.config().modelType() + "\"");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void externalDataScoresLikeInlineWeights(String name) {
    assertThat(OnnxModel.INLINE_LIMIT_BYTES).isGreaterThan(1 << 20); // tiny models default to inline
    Path inline = tmp.resolve("inline.onnx");
    Path external = tmp.resolve("external.onnx");
    long weightBytes;
    try (NDManager m = NDManager.newBaseManager(); CausalLM model = read(name, m)) {
      OnnxModel onnx = OnnxExport.causalLm(model);
      onnx.write(inline, false);
      onnx.write(external, true);
      weightBytes = onnx.weightBytes();
    }
    assertThat(tmp.resolve("external.onnx.data")).exists();
    assertThat(tmp.resolve("external.onnx.data").toFile().length()).isGreaterThanOrEqualTo(weightBytes);
    assertThat(external.toFile().length()).isLessThan(weightBytes / 4);
    TokenBatch batch = OnnxReferenceLogitsTest.batch(Reference.expected(name));
    // The external copy also runs with ONNX Runtime's weight prepacking off, a memory option.
    try (OnnxScorer a = OnnxScorer.load(inline);
        OnnxScorer b = OnnxScorer.load(external, Map.of("session.disable_prepacking", "1", "intraOpNumThreads", "1"))) {
      float[][] x = a.responseLogProbs(batch, 3, 1f);
      float[][] y = b.responseLogProbs(batch, 3, 1f);
      for (int r = 0; r < x.length; r++) {
        assertThat(y[r]).containsExactly(x[r], org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
  }

  /**
   * Reward-model export: logits [B, labels] from the hidden state at each row's last real token,
   * for left-padded, right-padded and unpadded rows, against the PyTorch engine's hidden state
   * times score.weightᵀ.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void sequenceClassifierReadsTheLastRealToken(String name) {
    Path file = tmp.resolve(name + "-reward.onnx");
    int labels = 2;
    TokenBatch batch = TokenBatch.of(
        new long[][] {{0, 0, 7, 8, 9, 10}, {11, 12, 13, 0, 0, 0}, {5, 6, 7, 8, 9, 10}},
        new long[][] {{0, 0, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 1}});
    int[] last = {5, 2, 5};
    try (NDManager m = NDManager.newBaseManager(); CausalLM model = read(name, m)) {
      int d = model.config().hiddenSize();
      float[] w = new float[labels * d];
      SplittableRandom rng = new SplittableRandom(7);
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) rng.nextGaussian();
      }
      NDArray score = m.create(w, new Shape(labels, d));
      OnnxExport.sequenceClassifier(model, score).write(file);

      Shape shape = new Shape(batch.batch(), batch.sequence());
      NDArray hidden = model.hidden(m.create(batch.inputIds(), shape), m.create(batch.attentionMask(), shape), null);
      float[][] ort;
      try (OnnxScorer scorer = OnnxScorer.load(file)) {
        assertThat(scorer.signature().outputs().get("logits").dims()).containsExactly("batch", "2");
        ort = scorer.sequenceLogits(batch);
      }
      double worst = 0;
      for (int b = 0; b < batch.batch(); b++) {
        float[] want = hidden.get(new NDIndex("{}, {}, :", b, last[b])).matMul(score.transpose()).toFloatArray();
        assertThat(ort[b]).hasSize(labels);
        for (int l = 0; l < labels; l++) {
          worst = Math.max(worst, Math.abs(ort[b][l] - want[l]));
        }
        assertThat(Math.abs(want[0])).isGreaterThan(1e-2f);
      }
      System.out.printf("%s reward head: max |ORT − PyTorch| = %.3g%n", name, worst);
      assertThat(worst).isLessThan(1e-4);
    }
  }

  @org.junit.jupiter.api.Test
  void idsOutsideTheVocabularyAreRefusedWithTheirPlace() {
    Path file = tmp.resolve("gpt2.onnx");
    OnnxExport.checkpoint(Reference.folder("gpt2-tiny"), file);
    TokenBatch batch = TokenBatch.of(new long[][] {{1, 2, 3}, {4, 64, 5}}, new long[][] {{1, 1, 1}, {1, 1, 1}});
    try (OnnxScorer scorer = OnnxScorer.load(file)) {
      assertThatThrownBy(() -> scorer.responseLogProbs(batch, 1, 1f))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("input_ids[1, 1] = 64 lies outside the vocabulary of " + file + " (64 tokens)");
      assertThatThrownBy(() -> scorer.responseLogProbs(batch, 3, 1f))
          .hasMessageContaining("responseStart must lie in [1, 3)");
    }
  }

  private static CausalLM read(String name, NDManager m) {
    Path dir = Reference.folder(name);
    ModelConfig config = CheckpointReader.readConfig(dir);
    return CheckpointReader.readModel(dir, config, m);
  }

  private static List<String> dims(ValueInfoProto v) {
    return v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue())).toList();
  }
}
