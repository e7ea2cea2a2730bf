package dev.tether.core.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import dev.tether.core.kl.KlEstimator;
import dev.tether.core.masked.Masked;

/**
 * PPO's clipped surrogate (Schulman et al. 2017), per token, with ratio = π_θ/π_old:
 *
 * <pre>
 *   L_t = max(−A_t·ratio_t, −A_t·clip(ratio_t, 1 − ε_low, 1 + ε_high))
 * </pre>
 *
 * and the optional dual clip (Ye et al. 2020): for A_t &lt; 0 the loss is also capped at −c·A_t
 * (c &gt; 1), so a token whose ratio exploded under a negative advantage cannot dominate the batch.
 *
 * @param loss scalar, differentiable
 * @param clipfrac fraction of valid tokens where the clipped term is the larger (the clip is active)
 * @param approxKl mean k3 estimate of KL(π_old ‖ π_θ) over valid tokens, (ratio − 1) − log ratio, as
 *     CleanRL logs it (TRL logs ½·mean(log ratio²) instead; both are ≈ KL for small steps)
 * @param ratioMean mean ratio over valid tokens (1 on the first minibatch of an epoch)
 */
public record PolicyLoss(NDArray loss, double clipfrac, double approxKl, double ratioMean) {

    /** Symmetric clip ε, no dual clip, token-mean. */
    public static PolicyLoss clippedSurrogate(
            NDArray logprobs, NDArray oldLogprobs, NDArray advantages, NDArray mask, double clipEps) {
        return clippedSurrogate(logprobs, oldLogprobs, advantages, mask, clipEps, clipEps, Double.NaN, LossAggregation.TOKEN_MEAN);
    }

    /**
     * @param clipLow ε_low, the ratio's lower bound is 1 − ε_low
     * @param clipHigh ε_high, the upper bound is 1 + ε_high (DAPO's "clip-higher" when &gt; ε_low)
     * @param dualClip c &gt; 1, or NaN for none
     */
    public static PolicyLoss clippedSurrogate(
            NDArray logprobs,
            NDArray oldLogprobs,
            NDArray advantages,
            NDArray mask,
            double clipLow,
            double clipHigh,
            double dualClip,
            LossAggregation aggregation) {
        if (!(clipLow > 0 && clipLow < 1) || !(clipHigh > 0)) {
            throw new IllegalArgumentException(
                    "cliprange: expected 0 < ε_low < 1 and ε_high > 0, got ε_low=" + clipLow + ", ε_high=" + clipHigh);
        }
        if (!Double.isNaN(dualClip) && !(dualClip > 1)) {
            throw new IllegalArgumentException("dual_clip: expected a number > 1 (or none), got " + dualClip);
        }
        NDArray m = Masked.asFloat(mask);
        NDArray logRatio = logprobs.sub(oldLogprobs);
        NDArray ratio = logRatio.exp();
        NDArray unclipped = advantages.neg().mul(ratio);
        NDArray clipped = advantages.neg().mul(ratio.clip(1 - clipLow, 1 + clipHigh));
        NDArray perToken = unclipped.maximum(clipped);
        if (!Double.isNaN(dualClip)) {
            NDArray capped = perToken.minimum(advantages.neg().mul((float) dualClip));
            perToken = NDArrays.where(advantages.lt(0f), capped, perToken);
        }
        NDArray loss = aggregation.reduce(perToken, m);
        double clipfrac = Masked.mean(clipped.gt(unclipped).toType(DataType.FLOAT32, false), m).getFloat();
        // The tokens were sampled from π_old, so π_old plays the "policy" role in the estimator.
        double approxKl =
                Masked.mean(KlEstimator.K3.perToken(oldLogprobs, logprobs.stopGradient()), m).getFloat();
        double ratioMean = Masked.mean(ratio.stopGradient(), m).getFloat();
        return new PolicyLoss(loss, clipfrac, approxKl, ratioMean);
    }
}
