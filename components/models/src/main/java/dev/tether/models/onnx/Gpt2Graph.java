package dev.tether.models.onnx;

import static dev.tether.models.onnx.GraphBuilder.attr;

import dev.tether.models.config.GPT2Config;
import java.util.List;

/**
 * GPT-2 as an ONNX graph, in the order data flows: embeddings (token + learned position), blocks
 * (LayerNorm, attention, LayerNorm, MLP, each residual), final LayerNorm. Weight names are
 * transformers' GPT2LMHeadModel names; Conv1D weights are [in,out] and used as stored, y = x·W + b.
 */
final class Gpt2Graph {

  private static final String T = "transformer.";

  private final GraphBuilder b;
  private final GPT2Config c;
  private final Weights w;

  private Gpt2Graph(GraphBuilder b, GPT2Config c, Weights w) {
    this.b = b;
    this.c = c;
    this.w = w;
  }

  /** Emits the trunk and returns the final hidden state [B,T,D]. */
  static String hidden(GraphBuilder b, GPT2Config c, Weights w, DecoderGraph.Inputs in) {
    return new Gpt2Graph(b, c, w).trunk(in);
  }

  /** The LM head's weight: wte itself when tied. */
  static String headWeight(GPT2Config c, Weights w) {
    return w.get(c.tieWordEmbeddings() ? T + "wte.weight" : "lm_head.weight");
  }

  private String trunk(DecoderGraph.Inputs in) {
    b.scope("embeddings");
    String tokens = b.op("Gather", w.get(T + "wte.weight"), in.ids()); // [B,T,D]
    String positions = b.op("Gather", w.get(T + "wpe.weight"), in.positions());
    String h = b.op("Add", tokens, positions);
    for (int i = 0; i < c.nLayer(); i++) {
      h = block(h, i, in.allowed());
    }
    b.scope("ln_f");
    return layerNorm(h, T + "ln_f");
  }

  private String block(String h, int layer, String allowed) {
    String p = T + "h." + layer + ".";
    b.scope("h." + layer + ".attn");
    h = b.op("Add", h, attention(layerNorm(h, p + "ln_1"), p + "attn.", allowed));
    b.scope("h." + layer + ".mlp");
    return b.op("Add", h, mlp(layerNorm(h, p + "ln_2"), p + "mlp."));
  }

  private String attention(String x, String p, String allowed) {
    long d = c.nEmbd();
    List<String> qkv = b.ops("Split", 3, List.of(conv1d(x, p + "c_attn"), b.ints(d, d, d)),
        attr("axis", 2L)); // [B,T,3D] → 3 × [B,T,D]
    String q = DecoderGraph.splitHeads(b, qkv.get(0), c.nHead(), c.headDim()); // [B,H,T,d]
    String k = DecoderGraph.splitHeads(b, qkv.get(1), c.nHead(), c.headDim());
    String v = DecoderGraph.splitHeads(b, qkv.get(2), c.nHead(), c.headDim());
    String y = DecoderGraph.attend(b, q, k, v, allowed, c.headDim());
    return conv1d(DecoderGraph.mergeHeads(b, y, d), p + "c_proj"); // [B,T,D]
  }

  private String mlp(String x, String p) {
    return conv1d(activation(conv1d(x, p + "c_fc")), p + "c_proj");
  }

  // ---------------------------------------------------------------- primitives

  /** Hugging Face Conv1D: weight [in,out], y = x·W + b. */
  private String conv1d(String x, String name) {
    return b.op("Add", b.op("MatMul", x, w.get(name + ".weight")), w.get(name + ".bias"));
  }

  private String layerNorm(String x, String name) {
    return b.op("LayerNormalization",
        List.of(x, w.get(name + ".weight"), w.get(name + ".bias")),
        attr("axis", -1L), attr("epsilon", (float) c.layerNormEpsilon()));
  }

  private String activation(String x) {
    return switch (c.activationFunction()) {
      case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> geluTanh(x);
      // 0.5·x·(1 + erf(x/√2))
      case "gelu" -> b.op("Mul", b.op("Mul", x, b.scalar(0.5f)), b.op("Add", b.scalar(1f),
          b.op("Erf", b.op("Mul", x, b.scalar((float) (1.0 / Math.sqrt(2.0)))))));
      case "relu" -> b.op("Relu", x);
      case "silu", "swish" -> b.op("Mul", x, b.op("Sigmoid", x));
      default -> throw new IllegalStateException("activation " + c.activationFunction());
    };
  }

  /** gelu_new: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))); opset 17 has no Gelu op. */
  private String geluTanh(String x) {
    String cube = b.op("Mul", b.op("Mul", x, x), x);
    String inner = b.op("Mul", b.op("Add", x, b.op("Mul", cube, b.scalar(0.044715f))),
        b.scalar((float) Math.sqrt(2.0 / Math.PI)));
    return b.op("Mul", b.op("Mul", x, b.scalar(0.5f)), b.op("Add", b.scalar(1f), b.op("Tanh", inner)));
  }
}
