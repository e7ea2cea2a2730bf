package dev.tether.steps.rewardtrain;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tether.steps.sft.data.PaddedBatch;
import java.util.Arrays;
import java.util.List;

/** Scores without gradients, a batch of rows at a time, as plain floats. */
final class Scoring {
    private Scoring() {}

    /** Scores of token sequences, right-padded with {@code padId}. */
    static float[] sequences(RewardModel model, List<int[]> sequences, int batch, int padId, NDManager parent) {
        float[] out = new float[sequences.size()];
        for (int from = 0; from < sequences.size(); from += batch) {
            int to = Math.min(sequences.size(), from + batch);
            PaddedBatch b = PaddedBatch.rightPadded(sequences.subList(from, to), padId);
            try (NDManager m = parent.newSubManager()) {
                System.arraycopy(model.scores(b.ids(m), b.mask(m)).toFloatArray(), 0, out, from, to - from);
            }
        }
        return out;
    }

    /** Scores of rows already laid out as ids and mask [rows, length] (e.g. a rollout's). */
    static float[] rows(RewardModel model, long[] ids, long[] mask, int rows, int length, int batch, NDManager parent) {
        float[] out = new float[rows];
        for (int from = 0; from < rows; from += batch) {
            int to = Math.min(rows, from + batch);
            try (NDManager m = parent.newSubManager()) {
                Shape shape = new Shape(to - from, length);
                float[] s = model.scores(m.create(Arrays.copyOfRange(ids, from * length, to * length), shape),
                        m.create(Arrays.copyOfRange(mask, from * length, to * length), shape)).toFloatArray();
                System.arraycopy(s, 0, out, from, to - from);
            }
        }
        return out;
    }
}
