package dev.tether.models.nn;

import dev.tether.core.nd.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.ndarray.types.SparseFormat;
import dev.tether.models.config.GPT2Config;
import dev.tether.models.config.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GPT-2 (Radford et al. 2019) over weights named as in transformers' GPT2LMHeadModel. Read top to
 * bottom in the order data flows: attention, MLP, block, model.
 *
 * <p>GPT-2's projections are Hugging Face {@code Conv1D}s whose weight is stored [in, out]; they
 * are used as stored, y = x·W + b (see {@link #conv1d}), so loading needs no transposition.
 */
public final class Gpt2 implements CausalLM {

  private static final String T = "transformer.";

  private final GPT2Config config;
  private final Parameters params;

  Gpt2(GPT2Config config, Parameters params) {
    this.config = config;
    this.params = params;
  }

  public static Map<String, Shape> parameterShapes(GPT2Config c) {
    long d = c.nEmbd();
    long inner = c.nInner();
    Map<String, Shape> s = new LinkedHashMap<>();
    s.put(T + "wte.weight", new Shape(c.vocabSize(), d));
    s.put(T + "wpe.weight", new Shape(c.nPositions(), d));
    for (int i = 0; i < c.nLayer(); i++) {
      String p = T + "h." + i + ".";
      s.put(p + "ln_1.weight", new Shape(d));
      s.put(p + "ln_1.bias", new Shape(d));
      s.put(p + "attn.c_attn.weight", new Shape(d, 3 * d));
      s.put(p + "attn.c_attn.bias", new Shape(3 * d));
      s.put(p + "attn.c_proj.weight", new Shape(d, d));
      s.put(p + "attn.c_proj.bias", new Shape(d));
      s.put(p + "ln_2.weight", new Shape(d));
      s.put(p + "ln_2.bias", new Shape(d));
      s.put(p + "mlp.c_fc.weight", new Shape(d, inner));
      s.put(p + "mlp.c_fc.bias", new Shape(inner));
      s.put(p + "mlp.c_proj.weight", new Shape(inner, d));
      s.put(p + "mlp.c_proj.bias", new Shape(d));
    }
    s.put(T + "ln_f.weight", new Shape(d));
    s.put(T + "ln_f.bias", new Shape(d));
    if (!c.tieWordEmbeddings()) {
      s.put("lm_head.weight", new Shape(c.vocabSize(), d));
    }
    return s;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public Parameters parameters() {
    return params;
  }

  // ---------------------------------------------------------------- layers, in data-flow order

  private NDArray attention(NDArray x, int layer, NDArray bias, KvCache cache) {
    String p = T + "h." + layer + ".attn.";
    NDList qkv = conv1d(x, p + "c_attn").split(3, 2); // [B,T,3D] → 3 × [B,T,D]
    NDArray q = Attention.splitHeads(qkv.get(0), config.nHead()); // [B,H,T,d]
    NDArray k = Attention.splitHeads(qkv.get(1), config.nHead());
    NDArray v = Attention.splitHeads(qkv.get(2), config.nHead());
    if (cache != null) {
      NDArray[] kv = cache.append(layer, k, v); // [B,H,past+T,d]
      k = kv[0];
      v = kv[1];
    }
    NDArray y = Attention.mergeHeads(Attention.attend(q, k, v, bias)); // [B,T,D]
    return conv1d(y, p + "c_proj");
  }

  private NDArray mlp(NDArray x, int layer) {
    String p = T + "h." + layer + ".mlp.";
    return conv1d(activation(conv1d(x, p + "c_fc")), p + "c_proj");
  }

  private NDArray block(NDArray h, int layer, NDArray bias, KvCache cache) {
    String p = T + "h." + layer + ".";
    // The residual adds go into the projections' fresh outputs (a product keeps its inputs for
    // the gradient, not its output).
    h = attention(layerNorm(h, p + "ln_1"), layer, bias, cache).addi(h);
    return mlp(layerNorm(h, p + "ln_2"), layer).addi(h);
  }

  @Override
  public NDArray hidden(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    long past = cache == null ? 0 : cache.length();
    return Scoped.keepOne(inputIds.getManager(), () -> {
      long t = Attention.checkInputs(inputIds, attentionMask, past, config.vocabSize());
      if (past + t > config.nPositions()) {
        throw new IllegalArgumentException(
            "sequence of " + (past + t) + " tokens exceeds GPT-2's n_positions " + config.nPositions());
      }
      NDArray ids = inputIds.toType(DataType.INT64, false);
      NDArray pos = Attention.positions(attentionMask, t);
      NDArray bias = Attention.bias(attentionMask, t); // [B,1,T,past+T]
      NDArray h = embed(ids, T + "wte.weight").add(embed(pos, T + "wpe.weight")); // [B,T,D]
      for (int i = 0; i < config.nLayer(); i++) {
        h = block(h, i, bias, cache);
      }
      h = layerNorm(h, T + "ln_f");
      if (cache != null) {
        cache.advance(t);
      }
      return h;
    });
  }

  @Override
  public NDArray logits(NDArray hidden) {
    // Tied: the head is wte itself, [V,D] read as a Linear weight [out,in].
    NDArray w = config.tieWordEmbeddings() ? params.get(T + "wte.weight") : params.get("lm_head.weight");
    return Scoped.keepOne(hidden.getManager(), () -> LmHead.logits(hidden, w));
  }

  // ---------------------------------------------------------------- primitives

  /**
   * Hugging Face Conv1D: weight [in,out] used as stored, y = x·W + b. Wᵀ is a view (no copy), and
   * torch's linear adds the bias into the product in place: one [B,T,out] temporary, not two.
   */
  private NDArray conv1d(NDArray x, String name) {
    return Linear.linear(x, params.get(name + ".weight").swapAxes(0, 1), params.get(name + ".bias"))
        .singletonOrThrow();
  }

  private NDArray layerNorm(NDArray x, String name) {
    NDArray w = params.get(name + ".weight");
    return LayerNorm.layerNorm(x, w.getShape(), w, params.get(name + ".bias"), (float) config.layerNormEpsilon())
        .singletonOrThrow();
  }

  private NDArray embed(NDArray ids, String name) {
    return Embedding.embedding(ids, params.get(name), SparseFormat.DENSE).singletonOrThrow();
  }

  private NDArray activation(NDArray x) {
    return switch (config.activationFunction()) {
      case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> geluTanh(x);
      case "gelu" -> Scalars.times(x.mul(Scalars.times(x, 1.0 / Math.sqrt(2.0)).erf().add(1f)), 0.5);
      case "relu" -> Activation.relu(x);
      case "silu", "swish" -> x.mul(Activation.sigmoid(x));
      default -> throw new IllegalStateException("activation " + config.activationFunction());
    };
  }

  /**
   * GPT-2's gelu_new: 0.5·x·(1 + tanh(z)), z = √(2/π)·(x + 0.044715·x³), computed as the equal
   * x·σ(2z) with 2z = x·(2√(2/π) + 2√(2/π)·0.044715·x²): six element-wise ops instead of eight,
   * and the in-place ones touch only temporaries whose old value autograd does not keep.
   */
  static NDArray geluTanh(NDArray x) {
    float c2 = (float) (2 * Math.sqrt(2.0 / Math.PI));
    NDArray twoZ = Scalars.times(x.square(), c2 * 0.044715f).addi(c2).mul(x);
    return x.mul(Activation.sigmoid(twoZ));
  }
}
