package dev.tether.steps.rewardtrain;

import ai.djl.ndarray.NDArray;
import dev.tether.models.onnx.OnnxModel;
import java.nio.file.Path;
import java.util.Map;

/**
 * A reward model being trained: one score per sequence, differentiable in its trainable weights,
 * exported as an ONNX sequence classifier ({@code input_ids}, {@code attention_mask} →
 * {@code logits} [B,1]) that computes the same function, which is what the reward step runs.
 */
interface RewardModel extends AutoCloseable {

    /** ids and mask int64 [B,T] (any padding, left, right or both) → scores float32 [B]. */
    NDArray scores(NDArray ids, NDArray mask);

    /** What the optimizer updates, by name. */
    Map<String, NDArray> trainable();

    /** The reward head (the bag of words' weights, the transformer's score row): what the l2 penalty applies to. */
    NDArray head();

    int vocabSize();

    OnnxModel toOnnx();

    /** Writes config.json and model.safetensors into {@code dir}, so the weights can be read back ({@link RewardModelFiles}). */
    void writeWeights(Path dir);

    @Override
    void close();
}
