package dev.tether.core.advantage;

import ai.djl.ndarray.NDArray;
import dev.tether.core.masked.Masked;

/**
 * Masked whitening of advantages over the valid tokens of a batch.
 *
 * <p>{@code shiftMean = true} is the usual (x − μ)/σ. {@code shiftMean = false} divides by σ only
 * and keeps the mean: x/σ. That is the robust choice for RLHF on near-deterministic text —
 * subtracting the batch mean hands consistently negative advantages to tokens the policy is sure
 * of (EOS after ".", say), and Adam turns those tiny gradients into full steps
 * (shared/DEMO-RECIPE.md). TRL's {@code masked_whiten(shift_mean=False)} is different: it
 * computes (x − μ)/σ and adds the <em>unscaled</em> μ back; tether does not copy that.
 *
 * <p>σ² is the unbiased masked variance, with ε = 1e-8 added before the square root, as in TRL.
 */
public final class Whitening {
    public static final float EPSILON = 1e-8f;

    private Whitening() {}

    public static NDArray whiten(NDArray x, NDArray mask, boolean shiftMean) {
        NDArray m = Masked.asFloat(mask);
        NDArray invStd = Masked.variance(x, m, true).add(EPSILON).sqrt().pow(-1f);
        NDArray centered = shiftMean ? x.sub(Masked.mean(x, m)) : x;
        return centered.mul(invStd).mul(m);
    }
}
