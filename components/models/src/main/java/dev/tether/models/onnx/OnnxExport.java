package dev.tether.models.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.config.GPT2Config;
import dev.tether.models.config.LlamaConfig;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Exports GPT-2 and Llama to ONNX (opset {@value OnnxModel#OPSET}) by building the ModelProto
 * directly; no KV cache. Every export has the Hugging Face signature: inputs {@code input_ids} and
 * {@code attention_mask}, int64 [batch, sequence]; output {@code logits}, float32. Weights are
 * initializers under their Hugging Face names. The config.json travels in the model's metadata
 * ({@value #CONFIG_METADATA}).
 */
public final class OnnxExport {

  /** Metadata key holding the exported model's config.json. */
  public static final String CONFIG_METADATA = "tether.config";
  /** Metadata key: "causal-lm" or "sequence-classification". */
  public static final String TASK_METADATA = "tether.task";

  /** The engine the checkpoint's arrays are read into (only their bytes are used). */
  private static final String PYTORCH = "PyTorch";

  private OnnxExport() {}

  /** The causal LM: {@code logits} [batch, sequence, vocab], as GPT2LMHeadModel / LlamaForCausalLM. */
  public static OnnxModel causalLm(CausalLM model) {
    ModelConfig config = model.config();
    GraphBuilder b = new GraphBuilder(config.modelType() + "-causal-lm");
    Weights w = new Weights(b, model.parameters().asMap());
    DecoderGraph.Inputs in = DecoderGraph.inputs(b);
    String hidden = trunk(b, config, w, in);
    String head = config instanceof GPT2Config c ? Gpt2Graph.headWeight(c, w)
        : LlamaGraph.headWeight((LlamaConfig) config, w);
    DecoderGraph.lmHead(b, hidden, head, config.hiddenSize(), config.vocabSize());
    return new OnnxModel(b.graph(), b.weights(), metadata(config, "causal-lm"));
  }

  /**
   * A reward model: the same trunk with a {@code score} head (weight [num_labels, hidden], no
   * bias) read at each row's last non-padding token, {@code logits} [batch, num_labels], as a
   * Hugging Face AutoModelForSequenceClassification export. {@code model}'s LM head is not used.
   */
  public static OnnxModel sequenceClassifier(CausalLM model, NDArray scoreWeight) {
    ModelConfig config = model.config();
    long[] shape = scoreWeight.getShape().getShape();
    if (shape.length != 2 || shape[1] != config.hiddenSize() || shape[0] < 1) {
      throw new ArtifactException("ONNX export: score.weight must be [num_labels, "
          + config.hiddenSize() + "], found " + Arrays.toString(shape));
    }
    GraphBuilder b = new GraphBuilder(config.modelType() + "-sequence-classification");
    Map<String, NDArray> arrays = new HashMap<>(model.parameters().asMap());
    arrays.put("score.weight", scoreWeight);
    Weights w = new Weights(b, arrays);
    DecoderGraph.Inputs in = DecoderGraph.inputs(b);
    String hidden = trunk(b, config, w, in);
    DecoderGraph.scoreHead(b, in, hidden, w.get("score.weight"), shape[0]);
    return new OnnxModel(b.graph(), b.weights(), metadata(config, "sequence-classification"));
  }

  /**
   * Reads a Hugging Face checkpoint folder and writes its causal LM to {@code onnxFile} (with
   * {@code onnxFile}.data beside it for models over {@link OnnxModel#INLINE_LIMIT_BYTES}): how the
   * frozen reference policy is made from the starting policy.
   */
  public static void checkpoint(Path checkpointDir, Path onnxFile) {
    ModelConfig config = CheckpointReader.readConfig(checkpointDir);
    try (NDManager manager = NDManager.newBaseManager(PYTORCH);
        CausalLM model = CheckpointReader.readModel(checkpointDir, config, manager)) {
      causalLm(model).write(onnxFile);
    }
  }

  private static String trunk(GraphBuilder b, ModelConfig config, Weights w, DecoderGraph.Inputs in) {
    if (config instanceof GPT2Config c) {
      return Gpt2Graph.hidden(b, c, w, in);
    }
    return LlamaGraph.hidden(b, (LlamaConfig) config, w, in);
  }

  private static Map<String, String> metadata(ModelConfig config, String task) {
    return Map.of(CONFIG_METADATA, config.toJson().toString(), TASK_METADATA, task);
  }
}
