package dev.tether.steps.rewardtrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.Parameters;
import dev.tether.models.nn.Scoped;
import dev.tether.models.onnx.OnnxExport;
import dev.tether.models.onnx.OnnxModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transformer reward model as Hugging Face's AutoModelForSequenceClassification builds one: a
 * causal LM's trunk and a {@code score} row [1, hidden], no bias, read at each sequence's last
 * non-padding token (index = max over t of t·mask[t], right for left and right padding alike —
 * the exported graph finds it the same way). The LM head is not part of it.
 */
final class TransformerReward implements RewardModel {
    static final String SCORE = "score.weight";

    private final CausalLM trunk;
    private final ObjectNode trunkConfigJson;
    private final Parameters score;

    TransformerReward(CausalLM trunk, ObjectNode trunkConfigJson, Parameters score) {
        this.trunk = trunk;
        this.trunkConfigJson = trunkConfigJson.deepCopy();
        this.score = score;
    }

    /** A new score row, N(0, 0.02²) from the seed, as transformers initialises it. */
    static TransformerReward withNewHead(CausalLM trunk, ObjectNode trunkConfigJson, NDManager parent, long seed) {
        Map<String, Shape> shape = Map.of(SCORE, new Shape(1, trunk.config().hiddenSize()));
        return new TransformerReward(trunk, trunkConfigJson, Parameters.initialize(parent, shape, 0.02, seed));
    }

    CausalLM trunk() {
        return trunk;
    }

    @Override
    public NDArray scores(NDArray ids, NDArray mask) {
        return Scoped.keepOne(ids.getManager(), () -> {
            NDManager m = ids.getManager();
            long b = ids.getShape().get(0);
            long t = ids.getShape().get(1);
            long d = trunk.config().hiddenSize();
            NDArray hidden = trunk.hidden(ids, mask, null); // [B,T,D]
            NDArray last = mask.toType(DataType.INT64, false).mul(m.arange(0, t, 1, DataType.INT64)).max(new int[] {1}); // [B]
            NDArray index = last.reshape(b, 1, 1).broadcast(new Shape(b, 1, d));
            NDArray picked = hidden.gather(index, 1).squeeze(1); // [B,D]
            return Linear.linear(picked, score.get(SCORE)).singletonOrThrow().squeeze(-1); // [B]
        });
    }

    /** The trunk (without an untied LM head, which a score never reaches) and the score row. */
    @Override
    public Map<String, NDArray> trainable() {
        Map<String, NDArray> all = new LinkedHashMap<>();
        trunk.parameters().asMap().forEach((name, a) -> {
            if (!name.equals("lm_head.weight")) {
                all.put(name, a);
            }
        });
        all.put(SCORE, score.get(SCORE));
        return all;
    }

    @Override
    public NDArray head() {
        return score.get(SCORE);
    }

    @Override
    public int vocabSize() {
        return trunk.config().vocabSize();
    }

    @Override
    public OnnxModel toOnnx() {
        return OnnxExport.sequenceClassifier(trunk, score.get(SCORE));
    }

    @Override
    public void writeWeights(Path dir) {
        RewardModelFiles.writeTransformer(dir, trunkConfigJson, trunk, score.get(SCORE));
    }

    @Override
    public void close() {
        score.close();
        trunk.close();
    }
}
