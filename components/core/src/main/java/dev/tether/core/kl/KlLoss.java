package dev.tether.core.kl;

import ai.djl.ndarray.NDArray;
import dev.tether.core.masked.Masked;

/**
 * KL as a loss term (GRPO style), averaged over valid tokens, to be added as {@code β·loss}.
 *
 * <p>The gradient matters more than the value here. On tokens sampled from π_θ, the gradient of
 * KL(π_θ ‖ π_ref) is E[(log π_θ − log π_ref)·∇log π_θ], which is exactly the gradient of k2 =
 * ½(log π_θ − log π_ref)². k3's own gradient, (1 − π_ref/π_θ)·∇log π_θ, estimates the gradient of
 * the reverse KL(π_ref ‖ π_θ) instead — biased for this objective. The straight-through form
 * keeps k3's unbiased, non-negative <em>value</em> for logging and k2's gradient for the update:
 * {@code k2 + stopGradient(k3 − k2)} (veRL's "k3+").
 */
public final class KlLoss {
    private KlLoss() {}

    /** mean_t ½(log π_θ − log π_ref)². */
    public static NDArray k2(NDArray logprobs, NDArray refLogprobs, NDArray mask) {
        return Masked.mean(KlEstimator.K2.perToken(logprobs, refLogprobs), mask);
    }

    /** Value of mean_t k3, gradient of mean_t k2. */
    public static NDArray k3StraightThrough(NDArray logprobs, NDArray refLogprobs, NDArray mask) {
        NDArray k2 = KlEstimator.K2.perToken(logprobs, refLogprobs);
        NDArray k3 = KlEstimator.K3.perToken(logprobs, refLogprobs);
        return Masked.mean(k2.add(k3.sub(k2).stopGradient()), mask);
    }

    /** mean_t k3 with k3's own (biased) gradient; kept so the difference can be shown and tested. */
    public static NDArray k3Plain(NDArray logprobs, NDArray refLogprobs, NDArray mask) {
        return Masked.mean(KlEstimator.K3.perToken(logprobs, refLogprobs), mask);
    }
}
