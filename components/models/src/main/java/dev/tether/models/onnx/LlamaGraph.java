package dev.tether.models.onnx;

import static dev.tether.models.onnx.GraphBuilder.attr;

import dev.tether.models.config.LlamaConfig;
import dev.tether.models.nn.Llama;
import java.util.List;

/**
 * Llama as an ONNX graph, in the order data flows: token embedding, blocks (RMSNorm, attention
 * with rotary positions and grouped-query heads, RMSNorm, SwiGLU MLP, each residual), final
 * RMSNorm. Weight names are transformers' LlamaForCausalLM names; projections are nn.Linear,
 * weight [out,in].
 */
final class LlamaGraph {

  private static final String M = "model.";

  private final GraphBuilder b;
  private final LlamaConfig c;
  private final Weights w;

  private LlamaGraph(GraphBuilder b, LlamaConfig c, Weights w) {
    this.b = b;
    this.c = c;
    this.w = w;
  }

  /** Emits the trunk and returns the final hidden state [B,T,D]. */
  static String hidden(GraphBuilder b, LlamaConfig c, Weights w, DecoderGraph.Inputs in) {
    return new LlamaGraph(b, c, w).trunk(in);
  }

  /** The LM head's weight: embed_tokens itself when tied. */
  static String headWeight(LlamaConfig c, Weights w) {
    return w.get(c.tieWordEmbeddings() ? M + "embed_tokens.weight" : "lm_head.weight");
  }

  private String trunk(DecoderGraph.Inputs in) {
    b.scope("rotary");
    String[] cosSin = rotaryCosSin(in.positions());
    b.scope("embeddings");
    String h = b.op("Gather", w.get(M + "embed_tokens.weight"), in.ids()); // [B,T,D]
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      h = block(h, i, cosSin, in.allowed());
    }
    b.scope("norm");
    return rmsNorm(h, M + "norm");
  }

  private String block(String h, int layer, String[] cosSin, String allowed) {
    String p = M + "layers." + layer + ".";
    b.scope("layers." + layer + ".self_attn");
    h = b.op("Add", h, attention(rmsNorm(h, p + "input_layernorm"), p + "self_attn.", cosSin, allowed));
    b.scope("layers." + layer + ".mlp");
    return b.op("Add", h, mlp(rmsNorm(h, p + "post_attention_layernorm"), p + "mlp."));
  }

  private String attention(String x, String p, String[] cosSin, String allowed) {
    int heads = c.numAttentionHeads();
    int kvHeads = c.numKeyValueHeads();
    int d = c.headDim();
    String q = DecoderGraph.splitHeads(b, linear(x, p + "q_proj"), heads, d); // [B,H,T,d]
    String k = DecoderGraph.splitHeads(b, linear(x, p + "k_proj"), kvHeads, d); // [B,KV,T,d]
    String v = DecoderGraph.splitHeads(b, linear(x, p + "v_proj"), kvHeads, d);
    q = rope(q, cosSin);
    k = rope(k, cosSin);
    String y = DecoderGraph.attend(b, q, repeatKv(k), repeatKv(v), allowed, d); // [B,H,T,d]
    return linear(DecoderGraph.mergeHeads(b, y, (long) heads * d), p + "o_proj"); // [B,T,D]
  }

  /** SwiGLU: down(silu(gate(x)) ⊙ up(x)). */
  private String mlp(String x, String p) {
    String gate = linear(x, p + "gate_proj");
    String silu = b.op("Mul", gate, b.op("Sigmoid", gate));
    return linear(b.op("Mul", silu, linear(x, p + "up_proj")), p + "down_proj");
  }

  // ---------------------------------------------------------------- primitives

  /**
   * cos and sin of position·frequency, [B,1,T,d], computed in the graph from the position ids
   * (so any length works, as in transformers). The d/2 inverse frequencies carry θ and the
   * rope scaling (linear: divided by the factor; llama3: per band), from the same function the
   * PyTorch-engine model uses; they are repeated as two halves, pairing dimension i with i + d/2.
   */
  private String[] rotaryCosSin(String positions) {
    double[] f = Llama.inverseFrequencies(c);
    float[] inv = new float[f.length];
    for (int i = 0; i < f.length; i++) {
      inv[i] = (float) f[i];
    }
    String pos = b.op("Cast", List.of(positions), attr("to", (long) GraphBuilder.FLOAT)); // [B,T]
    String angles = b.op("Mul", b.op("Unsqueeze", pos, b.ints(2)),
        b.floats(new long[] {inv.length}, inv)); // [B,T,d/2]
    String emb = b.op("Concat", List.of(angles, angles), attr("axis", -1L)); // [B,T,d]
    String emb4 = b.op("Unsqueeze", emb, b.ints(1)); // [B,1,T,d]
    return new String[] {b.op("Cos", emb4), b.op("Sin", emb4)};
  }

  /** x·cos + rotate_half(x)·sin, rotate_half([x1, x2]) = [−x2, x1] over the last axis. */
  private String rope(String x, String[] cosSin) {
    long half = c.headDim() / 2;
    List<String> halves = b.ops("Split", 2, List.of(x, b.ints(half, half)), attr("axis", 3L));
    String rotated = b.op("Concat", List.of(b.op("Neg", halves.get(1)), halves.get(0)),
        attr("axis", 3L));
    return b.op("Add", b.op("Mul", x, cosSin[0]), b.op("Mul", rotated, cosSin[1]));
  }

  /** Grouped-query attention: [B,KV,T,d] → [B,H,T,d], query head j reading kv head j / (H/KV). */
  private String repeatKv(String x) {
    long rep = c.numAttentionHeads() / c.numKeyValueHeads();
    if (rep == 1) {
      return x;
    }
    String tiled = b.op("Tile", b.op("Unsqueeze", x, b.ints(2)), b.ints(1, 1, rep, 1, 1)); // [B,KV,rep,T,d]
    return b.op("Reshape", tiled, b.ints(0, c.numAttentionHeads(), -1, c.headDim()));
  }

  /** x / √(mean(x²) + ε) · g; ReduceMean takes its axes as an attribute up to opset 17. */
  private String rmsNorm(String x, String name) {
    String meanSquare = b.op("ReduceMean", List.of(b.op("Mul", x, x)),
        attr("axes", new long[] {-1}), attr("keepdims", 1L)); // [B,T,1]
    String rms = b.op("Sqrt", b.op("Add", meanSquare, b.scalar((float) c.rmsNormEps())));
    return b.op("Mul", b.op("Div", x, rms), w.get(name + ".weight"));
  }

  private String linear(String x, String name) {
    return DecoderGraph.linear(b, x, w.get(name + ".weight"));
  }
}
