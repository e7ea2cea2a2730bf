package dev.tether.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import dev.tether.models.config.LlamaConfig;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.config.RopeScaling;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Llama (Touvron et al. 2023) over weights named as in transformers' LlamaForCausalLM: RMSNorm,
 * rotary position embeddings with θ and linear or llama3 scaling, SwiGLU MLP, grouped-query
 * attention. Read top to bottom in the order data flows.
 *
 * <p>Projections are Hugging Face {@code nn.Linear}s, weight [out, in], applied as x·Wᵀ by
 * {@link Linear#linear} (the transposition happens there, inside torch's linear).
 */
public final class Llama implements CausalLM {

  private static final String M = "model.";

  private final LlamaConfig config;
  private final Parameters params;
  private final float[] inverseFrequencies;

  Llama(LlamaConfig config, Parameters params) {
    this.config = config;
    this.params = params;
    double[] f = inverseFrequencies(config);
    this.inverseFrequencies = new float[f.length];
    for (int i = 0; i < f.length; i++) {
      inverseFrequencies[i] = (float) f[i];
    }
  }

  public static Map<String, Shape> parameterShapes(LlamaConfig c) {
    long d = c.hiddenSize();
    long q = (long) c.numAttentionHeads() * c.headDim();
    long kv = (long) c.numKeyValueHeads() * c.headDim();
    long inter = c.intermediateSize();
    Map<String, Shape> s = new LinkedHashMap<>();
    s.put(M + "embed_tokens.weight", new Shape(c.vocabSize(), d));
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      String p = M + "layers." + i + ".";
      s.put(p + "input_layernorm.weight", new Shape(d));
      s.put(p + "self_attn.q_proj.weight", new Shape(q, d));
      s.put(p + "self_attn.k_proj.weight", new Shape(kv, d));
      s.put(p + "self_attn.v_proj.weight", new Shape(kv, d));
      s.put(p + "self_attn.o_proj.weight", new Shape(d, q));
      s.put(p + "post_attention_layernorm.weight", new Shape(d));
      s.put(p + "mlp.gate_proj.weight", new Shape(inter, d));
      s.put(p + "mlp.up_proj.weight", new Shape(inter, d));
      s.put(p + "mlp.down_proj.weight", new Shape(d, inter));
    }
    s.put(M + "norm.weight", new Shape(d));
    if (!c.tieWordEmbeddings()) {
      s.put("lm_head.weight", new Shape(c.vocabSize(), d));
    }
    return s;
  }

  /**
   * RoPE's inverse frequencies θ^(−2i/d), i < d/2, after {@code rope_scaling}: linear divides
   * them by the factor (same as dividing positions); llama3 divides only long wavelengths and
   * blends the band between (Meta's Llama 3.1 {@code apply_scaling}).
   */
  public static double[] inverseFrequencies(LlamaConfig c) {
    int half = c.headDim() / 2;
    double[] f = new double[half];
    for (int i = 0; i < half; i++) {
      f[i] = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / c.headDim());
    }
    RopeScaling s = c.ropeScaling();
    switch (s.type()) {
      case NONE:
        break;
      case LINEAR:
        for (int i = 0; i < half; i++) {
          f[i] /= s.factor();
        }
        break;
      case LLAMA3: {
        double old = s.originalMaxPositionEmbeddings();
        double lowFreqWavelen = old / s.lowFreqFactor();
        double highFreqWavelen = old / s.highFreqFactor();
        for (int i = 0; i < half; i++) {
          double wavelen = 2 * Math.PI / f[i];
          if (wavelen > lowFreqWavelen) {
            f[i] /= s.factor();
          } else if (wavelen >= highFreqWavelen) {
            double smooth = (old / wavelen - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
            f[i] = (1 - smooth) * f[i] / s.factor() + smooth * f[i];
          }
        }
        break;
      }
      default:
        throw new IllegalStateException("rope scaling " + s.type());
    }
    return f;
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

  private NDArray attention(NDArray x, int layer, NDArray[] cosSin, NDArray bias, KvCache cache) {
    String p = M + "layers." + layer + ".self_attn.";
    NDArray q = Attention.splitHeads(linear(x, p + "q_proj"), config.numAttentionHeads()); // [B,H,T,d]
    NDArray k = Attention.splitHeads(linear(x, p + "k_proj"), config.numKeyValueHeads()); // [B,KV,T,d]
    NDArray v = Attention.splitHeads(linear(x, p + "v_proj"), config.numKeyValueHeads());
    q = rope(q, cosSin);
    k = rope(k, cosSin);
    if (cache != null) {
      NDArray[] kv = cache.append(layer, k, v); // [B,KV,past+T,d]
      k = kv[0];
      v = kv[1];
    }
    NDArray y = Attention.attend(q, repeatKv(k), repeatKv(v), bias); // [B,H,T,d]
    return linear(Attention.mergeHeads(y), p + "o_proj");
  }

  /** SwiGLU: down(silu(gate(x)) ⊙ up(x)). */
  private NDArray mlp(NDArray x, int layer) {
    String p = M + "layers." + layer + ".mlp.";
    NDArray gate = linear(x, p + "gate_proj");
    return linear(gate.mul(Activation.sigmoid(gate)).mul(linear(x, p + "up_proj")), p + "down_proj");
  }

  private NDArray block(NDArray h, int layer, NDArray[] cosSin, NDArray bias, KvCache cache) {
    String p = M + "layers." + layer + ".";
    h = h.add(attention(rmsNorm(h, p + "input_layernorm"), layer, cosSin, bias, cache));
    return h.add(mlp(rmsNorm(h, p + "post_attention_layernorm"), layer));
  }

  @Override
  public NDArray hidden(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    long past = cache == null ? 0 : cache.length();
    return Scoped.keepOne(inputIds.getManager(), () -> {
      long t = Attention.checkInputs(inputIds, attentionMask, past, config.vocabSize());
      NDArray ids = inputIds.toType(DataType.INT64, false);
      NDArray[] cosSin = rotaryCosSin(Attention.positions(attentionMask, t));
      NDArray bias = Attention.bias(attentionMask, t); // [B,1,T,past+T]
      NDArray h = Embedding.embedding(ids, params.get(M + "embed_tokens.weight"), SparseFormat.DENSE)
          .singletonOrThrow(); // [B,T,D]
      for (int i = 0; i < config.numHiddenLayers(); i++) {
        h = block(h, i, cosSin, bias, cache);
      }
      h = rmsNorm(h, M + "norm");
      if (cache != null) {
        cache.advance(t);
      }
      return h;
    });
  }

  @Override
  public NDArray logits(NDArray hidden) {
    NDArray w = config.tieWordEmbeddings()
        ? params.get(M + "embed_tokens.weight")
        : params.get("lm_head.weight");
    return Scoped.keepOne(hidden.getManager(), () -> LmHead.logits(hidden, w));
  }

  // ---------------------------------------------------------------- primitives

  /**
   * cos and sin of position·frequency, [B,1,T,d]: the d/2 frequencies are repeated as two halves
   * (Hugging Face's layout, which pairs dimension i with i + d/2).
   */
  private NDArray[] rotaryCosSin(NDArray positions) {
    NDManager m = positions.getManager();
    NDArray freq = m.create(inverseFrequencies).reshape(1, 1, inverseFrequencies.length);
    NDArray angles = positions.toType(DataType.FLOAT32, false).expandDims(2).mul(freq); // [B,T,d/2]
    NDArray emb = angles.concat(angles, 2).expandDims(1); // [B,1,T,d]
    return new NDArray[] {emb.cos(), emb.sin()};
  }

  /** x·cos + rotate_half(x)·sin, where rotate_half([x1, x2]) = [−x2, x1] over the last axis. */
  private static NDArray rope(NDArray x, NDArray[] cosSin) {
    NDList halves = x.split(2, 3);
    NDArray rotated = halves.get(1).neg().concat(halves.get(0), 3);
    return x.mul(cosSin[0]).add(rotated.mul(cosSin[1]));
  }

  /** Grouped-query attention: [B,KV,S,d] → [B,H,S,d], query head j reading kv head j / (H/KV). */
  private NDArray repeatKv(NDArray x) {
    int rep = config.numAttentionHeads() / config.numKeyValueHeads();
    if (rep == 1) {
      return x;
    }
    Shape s = x.getShape();
    return x.expandDims(2)
        .broadcast(new Shape(s.get(0), s.get(1), rep, s.get(2), s.get(3)))
        .reshape(s.get(0), s.get(1) * rep, s.get(2), s.get(3));
  }

  private NDArray rmsNorm(NDArray x, String name) {
    NDArray rms = x.square().mean(new int[] {2}, true).add((float) config.rmsNormEps()).sqrt();
    return x.div(rms).mul(params.get(name + ".weight"));
  }

  private NDArray linear(NDArray x, String name) {
    return Linear.linear(x, params.get(name + ".weight")).singletonOrThrow();
  }
}
