package dev.tether.steps.evaluate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tether.core.kl.KlEstimator;
import dev.tether.core.kl.KlStats;
import dev.tether.core.masked.Masked;

/**
 * KL(π ‖ π_ref) of the evaluated samples with the two unbiased estimators, in both units, through
 * the same {@link KlEstimator} and {@link KlStats} the PPO update uses — so the evaluation's KL and
 * the training log's KL mean the same thing.
 *
 * @param perSampleK1 Σ over each response's tokens of k1 (nats per sequence, one per sample)
 * @param perSampleK3 the same for k3
 */
record KlSummary(KlStats k1, KlStats k3, float[] perSampleK1, float[] perSampleK3) {

    /** @param logprobs, refLogprobs, mask [batch × responseLength], row-major */
    static KlSummary of(float[] logprobs, float[] refLogprobs, int[] mask, int batch, int responseLength, NDManager nd) {
        try (NDManager m = nd.newSubManager()) {
            Shape s = new Shape(batch, responseLength);
            NDArray lp = m.create(logprobs, s);
            NDArray ref = m.create(refLogprobs, s);
            NDArray valid = m.create(mask, s);
            NDArray k1 = Masked.zeroPadding(KlEstimator.K1.perToken(lp, ref), valid);
            NDArray k3 = Masked.zeroPadding(KlEstimator.K3.perToken(lp, ref), valid);
            return new KlSummary(KlStats.of(k1, valid), KlStats.of(k3, valid),
                    Masked.sum(k1, valid, 1).toFloatArray(), Masked.sum(k3, valid, 1).toFloatArray());
        }
    }

    KlStats of(KlEstimator estimator) {
        return switch (estimator) {
            case K1 -> k1;
            case K3 -> k3;
            default -> throw new IllegalArgumentException("kl_estimator: expected k1 or k3, got " + estimator.id());
        };
    }
}
