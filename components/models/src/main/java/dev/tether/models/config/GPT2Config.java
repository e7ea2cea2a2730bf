package dev.tether.models.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalInt;
import java.util.Set;

/**
 * GPT-2's {@code config.json}. Absent optional fields take transformers' GPT2Config defaults
 * (n_inner = 4·n_embd, layer_norm_epsilon 1e-5, gelu_new, tied embeddings).
 */
public record GPT2Config(
    int vocabSize,
    int nPositions,
    int nEmbd,
    int nLayer,
    int nHead,
    int nInner,
    double layerNormEpsilon,
    String activationFunction,
    boolean tieWordEmbeddings,
    OptionalInt bosTokenId,
    OptionalInt eosTokenId)
    implements ModelConfig {

  /** The activations {@link dev.tether.models.nn.Gpt2} implements, by transformers' names. */
  public static final Set<String> ACTIVATIONS =
      Set.of("gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu", "relu", "silu", "swish");

  static GPT2Config parse(JsonFields f) {
    int vocab = f.requireInt("vocab_size");
    int positions = f.requireInt("n_positions");
    int embd = f.requireInt("n_embd");
    int layers = f.requireInt("n_layer");
    int heads = f.requireInt("n_head");
    f.requirePositive("vocab_size", vocab);
    f.requirePositive("n_positions", positions);
    f.requirePositive("n_embd", embd);
    f.requirePositive("n_layer", layers);
    f.requirePositive("n_head", heads);
    if (embd % heads != 0) {
      throw f.error("n_head", "(" + heads + ") must divide n_embd (" + embd + ")");
    }
    int inner = f.optInt("n_inner", 4 * embd);
    f.requirePositive("n_inner", inner);
    double eps = f.optDouble("layer_norm_epsilon", 1e-5);
    f.requirePositive("layer_norm_epsilon", eps);
    String act = f.optString("activation_function", "gelu_new");
    if (!ACTIVATIONS.contains(act)) {
      throw f.error("activation_function", "is \"" + act + "\"; supported: " + ACTIVATIONS);
    }
    if (f.optBoolean("scale_attn_by_inverse_layer_idx", false)) {
      throw f.error("scale_attn_by_inverse_layer_idx", "true is not supported");
    }
    if (!f.optBoolean("scale_attn_weights", true)) {
      throw f.error("scale_attn_weights", "false is not supported");
    }
    OptionalInt bos = f.optTokenId("bos_token_id");
    OptionalInt eos = f.optTokenId("eos_token_id");
    checkTokenId(f, "bos_token_id", bos, vocab);
    checkTokenId(f, "eos_token_id", eos, vocab);
    return new GPT2Config(
        vocab, positions, embd, layers, heads, inner, eps, act,
        f.optBoolean("tie_word_embeddings", true), bos, eos);
  }

  static void checkTokenId(JsonFields f, String field, OptionalInt id, int vocab) {
    if (id.isPresent() && (id.getAsInt() < 0 || id.getAsInt() >= vocab)) {
      throw f.error(field, "is " + id.getAsInt() + ", outside the vocabulary [0, " + vocab + ")");
    }
  }

  public int headDim() {
    return nEmbd / nHead;
  }

  @Override
  public String modelType() {
    return "gpt2";
  }

  @Override
  public int hiddenSize() {
    return nEmbd;
  }

  @Override
  public int numLayers() {
    return nLayer;
  }

  @Override
  public int maxPositionEmbeddings() {
    return nPositions;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("model_type", "gpt2");
    n.putArray("architectures").add("GPT2LMHeadModel");
    n.put("vocab_size", vocabSize);
    n.put("n_positions", nPositions);
    n.put("n_ctx", nPositions);
    n.put("n_embd", nEmbd);
    n.put("n_layer", nLayer);
    n.put("n_head", nHead);
    n.put("n_inner", nInner);
    n.put("layer_norm_epsilon", layerNormEpsilon);
    n.put("activation_function", activationFunction);
    n.put("tie_word_embeddings", tieWordEmbeddings);
    // tether trains without dropout (PPO's ratio must compare the same function).
    n.put("resid_pdrop", 0.0);
    n.put("embd_pdrop", 0.0);
    n.put("attn_pdrop", 0.0);
    n.put("torch_dtype", "float32");
    bosTokenId.ifPresent(id -> n.put("bos_token_id", id));
    eosTokenId.ifPresent(id -> n.put("eos_token_id", id));
    return n;
  }
}
