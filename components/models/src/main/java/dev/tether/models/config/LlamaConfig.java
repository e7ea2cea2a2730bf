package dev.tether.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalInt;

/**
 * Llama's {@code config.json}. Absent optional fields take transformers' LlamaConfig defaults
 * (num_key_value_heads = num_attention_heads, rms_norm_eps 1e-6, rope_theta 10000, no rope
 * scaling, max_position_embeddings 2048, untied lm_head, head_dim = hidden_size / heads).
 */
public record LlamaConfig(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int headDim,
    double rmsNormEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    OptionalInt bosTokenId,
    OptionalInt eosTokenId)
    implements ModelConfig {

  static LlamaConfig parse(JsonFields f) {
    int vocab = f.requireInt("vocab_size");
    int hidden = f.requireInt("hidden_size");
    int inter = f.requireInt("intermediate_size");
    int layers = f.requireInt("num_hidden_layers");
    int heads = f.requireInt("num_attention_heads");
    f.requirePositive("vocab_size", vocab);
    f.requirePositive("hidden_size", hidden);
    f.requirePositive("intermediate_size", inter);
    f.requirePositive("num_hidden_layers", layers);
    f.requirePositive("num_attention_heads", heads);
    int kvHeads = f.optInt("num_key_value_heads", heads);
    f.requirePositive("num_key_value_heads", kvHeads);
    if (heads % kvHeads != 0) {
      throw f.error(
          "num_key_value_heads", "(" + kvHeads + ") must divide num_attention_heads (" + heads + ")");
    }
    int headDim;
    if (f.has("head_dim")) {
      headDim = f.requireInt("head_dim");
      f.requirePositive("head_dim", headDim);
    } else if (hidden % heads != 0) {
      throw f.error("num_attention_heads", "(" + heads + ") must divide hidden_size (" + hidden + ")");
    } else {
      headDim = hidden / heads;
    }
    if (headDim % 2 != 0) {
      throw f.error("head_dim", "must be even for rotary embeddings, found " + headDim);
    }
    double eps = f.optDouble("rms_norm_eps", 1e-6);
    f.requirePositive("rms_norm_eps", eps);

    // transformers 5 moved rope_theta and the scaling into one "rope_parameters" object.
    JsonNode ropeParams = f.root().get("rope_parameters");
    double theta;
    RopeScaling scaling;
    if (ropeParams != null && ropeParams.isObject()) {
      theta = new JsonFields(ropeParams, f.source() + " (rope_parameters)").optDouble("rope_theta", 10000.0);
      scaling = RopeScaling.parse(ropeParams, f, "rope_parameters");
    } else {
      theta = f.optDouble("rope_theta", 10000.0);
      scaling = RopeScaling.parse(f.root().get("rope_scaling"), f, "rope_scaling");
    }
    f.requirePositive("rope_theta", theta);

    String act = f.optString("hidden_act", "silu");
    if (!act.equals("silu")) {
      throw f.error("hidden_act", "is \"" + act + "\"; Llama's MLP is SwiGLU, supported: \"silu\"");
    }
    for (String bias : new String[] {"attention_bias", "mlp_bias"}) {
      if (f.optBoolean(bias, false)) {
        throw f.error(bias, "true is not supported (Llama has no biases)");
      }
    }
    int maxPos = f.optInt("max_position_embeddings", 2048);
    f.requirePositive("max_position_embeddings", maxPos);
    OptionalInt bos = f.optTokenId("bos_token_id");
    OptionalInt eos = f.optTokenId("eos_token_id");
    GPT2Config.checkTokenId(f, "bos_token_id", bos, vocab);
    GPT2Config.checkTokenId(f, "eos_token_id", eos, vocab);
    return new LlamaConfig(
        vocab, hidden, inter, layers, heads, kvHeads, headDim, eps, theta, scaling, maxPos,
        f.optBoolean("tie_word_embeddings", false), bos, eos);
  }

  @Override
  public String modelType() {
    return "llama";
  }

  @Override
  public int numLayers() {
    return numHiddenLayers;
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("model_type", "llama");
    n.putArray("architectures").add("LlamaForCausalLM");
    n.put("vocab_size", vocabSize);
    n.put("hidden_size", hiddenSize);
    n.put("intermediate_size", intermediateSize);
    n.put("num_hidden_layers", numHiddenLayers);
    n.put("num_attention_heads", numAttentionHeads);
    n.put("num_key_value_heads", numKeyValueHeads);
    n.put("head_dim", headDim);
    n.put("hidden_act", "silu");
    n.put("rms_norm_eps", rmsNormEps);
    n.put("rope_theta", ropeTheta);
    n.set("rope_scaling", ropeScaling.toJson());
    n.put("max_position_embeddings", maxPositionEmbeddings);
    n.put("tie_word_embeddings", tieWordEmbeddings);
    n.put("attention_bias", false);
    n.put("mlp_bias", false);
    n.put("torch_dtype", "float32");
    bosTokenId.ifPresent(id -> n.put("bos_token_id", id));
    eosTokenId.ifPresent(id -> n.put("eos_token_id", id));
    return n;
  }
}
