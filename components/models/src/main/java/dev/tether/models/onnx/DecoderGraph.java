package dev.tether.models.onnx;

import static dev.tether.models.onnx.GraphBuilder.attr;

import java.util.List;

/**
 * The graph pieces GPT-2 and Llama share: the two inputs, positions and the attention mask derived
 * from {@code attention_mask}, scaled dot-product attention, and the two heads (language model,
 * sequence classifier). B = batch, T = sequence, H = heads, d = head size.
 */
final class DecoderGraph {

  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String LOGITS = "logits";
  static final String BATCH = "batch";
  static final String SEQUENCE = "sequence";

  /** What a masked score is set to: float32's lowest, as Hugging Face's masked_fill uses. */
  private static final float MASKED = -Float.MAX_VALUE;

  /** The graph inputs and what every layer derives from them. */
  record Inputs(String ids, String mask, String positions, String allowed) {}

  private DecoderGraph() {}

  /**
   * Declares {@code input_ids} and {@code attention_mask} (int64 [B,T]) and derives:
   * positions = max(cumsum(mask) − 1, 0), so a left-padded row's first token is position 0 as in
   * Hugging Face's generate; allowed [B,1,T,T] = causal ∧ key is not padding.
   */
  static Inputs inputs(GraphBuilder b) {
    b.scope("inputs");
    String ids = b.input(INPUT_IDS, GraphBuilder.INT64, BATCH, SEQUENCE);
    String mask = b.input(ATTENTION_MASK, GraphBuilder.INT64, BATCH, SEQUENCE);

    String cumsum = b.op("CumSum", mask, b.int64Scalar(1));
    String positions = b.op("Max", b.op("Sub", cumsum, b.ints(1)), b.ints(0)); // [B,T]

    String t = b.op("Gather", b.op("Shape", ids), b.int64Scalar(1)); // scalar T
    String index = b.op("Range", b.int64Scalar(0), t, b.int64Scalar(1)); // [T]
    String keys = b.op("Unsqueeze", index, b.ints(0)); // [1,T]
    String queries = b.op("Unsqueeze", index, b.ints(1)); // [T,1]
    String causal = b.op("LessOrEqual", keys, queries); // [T,T]: key j ≤ query i
    String notPad = b.op("Unsqueeze",
        List.of(b.op("Cast", List.of(mask), attr("to", GraphBuilder.BOOL)), b.ints(1, 2))); // [B,1,1,T]
    String allowed = b.op("And", causal, notPad); // [B,1,T,T]
    return new Inputs(ids, mask, positions, allowed);
  }

  /** [B,T,H·d] → [B,H,T,d]. */
  static String splitHeads(GraphBuilder b, String x, long heads, long headDim) {
    String r = b.op("Reshape", x, b.ints(0, 0, heads, headDim)); // [B,T,H,d]
    return b.op("Transpose", List.of(r), attr("perm", new long[] {0, 2, 1, 3}));
  }

  /** [B,H,T,d] → [B,T,H·d]. */
  static String mergeHeads(GraphBuilder b, String y, long width) {
    String t = b.op("Transpose", List.of(y), attr("perm", new long[] {0, 2, 1, 3})); // [B,T,H,d]
    return b.op("Reshape", t, b.ints(0, 0, width));
  }

  /**
   * softmax(q kᵀ / √d, masked) v with q, k, v [B,H,T,d] and allowed [B,1,T,T]. A fully masked row
   * (a padding query) becomes uniform, as in Hugging Face, instead of NaN.
   */
  static String attend(GraphBuilder b, String q, String k, String v, String allowed, long headDim) {
    String kt = b.op("Transpose", List.of(k), attr("perm", new long[] {0, 1, 3, 2})); // [B,H,d,T]
    String scores = b.op("Mul", b.op("MatMul", q, kt), b.scalar((float) (1.0 / Math.sqrt(headDim))));
    String masked = b.op("Where", allowed, scores, b.scalar(MASKED)); // [B,H,T,T]
    String probs = b.op("Softmax", List.of(masked), attr("axis", -1L));
    return b.op("MatMul", probs, v); // [B,H,T,d]
  }

  /** A Hugging Face nn.Linear without bias: weight [out,in], y = x·Wᵀ (ORT folds the transpose). */
  static String linear(GraphBuilder b, String x, String weight) {
    String wt = b.op("Transpose", List.of(weight), attr("perm", new long[] {1, 0}));
    return b.op("MatMul", x, wt);
  }

  /**
   * Language-model head: hidden [B,T,D] → {@code logits} [B,T,V], weight [V,D]. Gemm reads the
   * weight transposed in place: a Transpose node would be folded by ONNX Runtime into a second
   * [D,V] copy, and a tied head's weight is also the embedding, which must stay.
   */
  static void lmHead(GraphBuilder b, String hidden, String weight, long hiddenSize, long vocab) {
    b.scope("lm_head");
    String rows = b.op("Reshape", hidden, b.ints(-1, hiddenSize)); // [B·T, D]
    String flat = b.op("Gemm", List.of(rows, weight), attr("transB", 1L)); // [B·T, V]
    String batchSequence = b.op("Shape", List.of(hidden), attr("start", 0L), attr("end", 2L)); // [2]
    String shape = b.op("Concat", List.of(batchSequence, b.ints(vocab)), attr("axis", 0L));
    b.node("Reshape", List.of(flat, shape), List.of(LOGITS));
    b.output(LOGITS, GraphBuilder.FLOAT, BATCH, SEQUENCE, vocab);
  }

  /**
   * Sequence-classification head ({@code score}, weight [L,D], no bias), read at each row's last
   * non-padding token: index = max over t of t·mask[t], which is right for left and right
   * padding alike (Hugging Face finds the same token from pad ids). Produces {@code logits} [B,L].
   */
  static void scoreHead(GraphBuilder b, Inputs in, String hidden, String weight, long labels) {
    b.scope("score");
    String all = linear(b, hidden, weight); // [B,T,L]
    String t = b.op("Gather", b.op("Shape", in.ids()), b.int64Scalar(1));
    String index = b.op("Range", b.int64Scalar(0), t, b.int64Scalar(1)); // [T]
    String last = b.op("ReduceMax", List.of(b.op("Mul", in.mask(), index)),
        attr("axes", new long[] {1}), attr("keepdims", 1L)); // [B,1]
    String gatherIndex = b.op("Expand",
        b.op("Unsqueeze", last, b.ints(2)), b.ints(1, 1, labels)); // [B,1,L]
    String picked = b.op("GatherElements", List.of(all, gatherIndex), attr("axis", 1L)); // [B,1,L]
    b.node("Squeeze", List.of(picked, b.ints(1)), List.of(LOGITS));
    b.output(LOGITS, GraphBuilder.FLOAT, BATCH, labels);
  }
}
