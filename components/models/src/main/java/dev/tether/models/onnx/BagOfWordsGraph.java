package dev.tether.models.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * The simplest reward model that is still a real sequence classifier: logits [B,1] = Σ_t w[id_t]
 * over the non-padding tokens — a Gather and a ReduceSum. The demo's proxy reward is one (a bag of
 * words, trained Bradley–Terry): blind to word order and negation, which is exactly the blind spot
 * an unconstrained policy learns to exploit.
 */
public final class BagOfWordsGraph {
    public static final String WEIGHT = "bow.weight";

    private BagOfWordsGraph() {}

    /** @param weights one weight per token id */
    public static OnnxModel of(float[] weights) {
        GraphBuilder b = new GraphBuilder("bag-of-words-reward");
        b.scope("inputs");
        String ids = b.input(DecoderGraph.INPUT_IDS, GraphBuilder.INT64, DecoderGraph.BATCH, DecoderGraph.SEQUENCE);
        String mask = b.input(DecoderGraph.ATTENTION_MASK, GraphBuilder.INT64, DecoderGraph.BATCH, DecoderGraph.SEQUENCE);
        b.scope("bow");
        ByteBuffer bytes = ByteBuffer.allocate(weights.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(weights);
        String w = b.weight(WEIGHT, new long[] {weights.length}, () -> bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        String perToken = b.op("Gather", w, ids); // [B,T]
        String kept = b.op("Mul", perToken, b.op("Cast", List.of(mask), GraphBuilder.attr("to", (long) GraphBuilder.FLOAT)));
        b.node("ReduceSum", List.of(kept, b.ints(1)), List.of(DecoderGraph.LOGITS), GraphBuilder.attr("keepdims", 1L)); // [B,1]
        b.output(DecoderGraph.LOGITS, GraphBuilder.FLOAT, DecoderGraph.BATCH, 1);
        return new OnnxModel(b.graph(), b.weights(), Map.of(OnnxExport.TASK_METADATA, "sequence-classification"));
    }
}
