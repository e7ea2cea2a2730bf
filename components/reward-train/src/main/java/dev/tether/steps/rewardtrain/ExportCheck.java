package dev.tether.steps.rewardtrain;

import ai.djl.ndarray.NDManager;
import dev.tether.models.onnx.OnnxScorer;
import dev.tether.models.onnx.TokenBatch;
import dev.tether.steps.sft.data.PaddedBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Before the artifact is committed, the exported ONNX model scores a few of the training sequences
 * on ONNX Runtime and must agree with the trained model: an export that computed another function
 * would otherwise only show up as a policy optimising the wrong reward.
 */
final class ExportCheck {
    /** float32 on two engines; a real difference is orders of magnitude larger. */
    static final double TOLERANCE = 1e-3;
    static final int ROWS = 64;

    private ExportCheck() {}

    /** @return the largest |ONNX − Java| score difference */
    static double verify(Path onnx, RewardModel model, List<int[]> sequences, int padId, NDManager parent) {
        List<int[]> sample = sequences.subList(0, Math.min(ROWS, sequences.size()));
        float[] java = Scoring.sequences(model, sample, ROWS, padId, parent);
        PaddedBatch b = PaddedBatch.rightPadded(sample, padId);
        float[][] logits;
        try (OnnxScorer scorer = OnnxScorer.load(onnx)) {
            logits = scorer.sequenceLogits(new TokenBatch(b.rows(), b.length(), b.ids(), b.mask()));
        }
        double max = 0;
        for (int i = 0; i < java.length; i++) {
            max = Math.max(max, Math.abs(logits[i][0] - java[i]));
        }
        if (!(max <= TOLERANCE)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the ONNX export scores differently from the trained model: max |difference| %.3g over %d sequences (tolerance %.0e)",
                    max, java.length, TOLERANCE));
        }
        return max;
    }
}
