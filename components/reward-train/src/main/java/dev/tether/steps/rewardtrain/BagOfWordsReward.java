package dev.tether.steps.rewardtrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.tether.models.onnx.BagOfWordsGraph;
import dev.tether.models.onnx.OnnxModel;
import dev.tether.models.nn.Scoped;
import java.nio.file.Path;
import java.util.Map;

/**
 * The demo's proxy reward (DEMO-RECIPE.md): one weight per token id, no bias, the score the sum of
 * the weights of the sequence's tokens. Blind to order and negation by construction. Starts at 0,
 * so an untrained model scores everything 0 and the seed plays no part.
 */
final class BagOfWordsReward implements RewardModel {
    static final String MODEL_TYPE = "tether-bag-of-words";

    private final NDManager manager;
    private final NDArray weight; // [V]

    private BagOfWordsReward(NDManager manager, NDArray weight) {
        this.manager = manager;
        this.weight = weight;
    }

    static BagOfWordsReward zeros(NDManager parent, int vocabSize) {
        NDManager m = parent.newSubManager();
        return new BagOfWordsReward(m, m.zeros(new Shape(vocabSize), DataType.FLOAT32));
    }

    /** Takes ownership of {@code weight} [V], read back from a written model. */
    static BagOfWordsReward of(NDManager parent, float[] weight) {
        NDManager m = parent.newSubManager();
        return new BagOfWordsReward(m, m.create(weight));
    }

    @Override
    public NDArray scores(NDArray ids, NDArray mask) {
        return Scoped.keepOne(ids.getManager(), () -> {
            // The table [V] seen as an embedding [V,1]: a gather whose gradient is the token counts.
            NDArray perToken = Embedding.embedding(ids.toType(DataType.INT64, false), weight.reshape(-1, 1), SparseFormat.DENSE)
                    .singletonOrThrow().squeeze(-1); // [B,T]
            return perToken.mul(mask.toType(DataType.FLOAT32, false)).sum(new int[] {1});
        });
    }

    @Override
    public Map<String, NDArray> trainable() {
        return Map.of(BagOfWordsGraph.WEIGHT, weight);
    }

    @Override
    public NDArray head() {
        return weight;
    }

    @Override
    public int vocabSize() {
        return Math.toIntExact(weight.getShape().get(0));
    }

    @Override
    public OnnxModel toOnnx() {
        return BagOfWordsGraph.of(weight.toFloatArray());
    }

    @Override
    public void writeWeights(Path dir) {
        RewardModelFiles.writeBagOfWords(dir, weight);
    }

    @Override
    public void close() {
        manager.close();
    }
}
