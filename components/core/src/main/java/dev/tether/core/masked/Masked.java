package dev.tether.core.masked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;

/**
 * Reductions over right-padded [batch, time] tensors where {@code mask} is 1 on real tokens and
 * 0 on padding. Every RL quantity in tether is reduced through these, so padding never leaks into
 * a mean, a variance or a loss.
 *
 * <p>Padded positions must hold finite values (they are multiplied by 0); {@link
 * #zeroPadding} makes them so.
 *
 * <p>Empty selections (no valid token) give 0 for sums and means rather than NaN: a batch whose
 * rows are all masked contributes nothing, and a loss over it has a zero gradient instead of
 * poisoning the optimizer state.
 */
public final class Masked {
    private Masked() {}

    /** The mask as float32 (bool, int or float masks are all accepted). */
    public static NDArray asFloat(NDArray mask) {
        return mask.getDataType() == DataType.FLOAT32 ? mask : mask.toType(DataType.FLOAT32, false);
    }

    /** Σ x·mask over all elements; a scalar. */
    public static NDArray sum(NDArray x, NDArray mask) {
        return x.mul(asFloat(mask)).sum();
    }

    /** Σ x·mask along {@code axis}. */
    public static NDArray sum(NDArray x, NDArray mask, int axis) {
        return x.mul(asFloat(mask)).sum(new int[] {axis});
    }

    /** Number of valid elements, as a float scalar. */
    public static NDArray count(NDArray mask) {
        return asFloat(mask).sum();
    }

    /** Σ x·mask / max(Σ mask, 1): the mean over every valid token of the batch (a scalar). */
    public static NDArray mean(NDArray x, NDArray mask) {
        return sum(x, mask).div(count(mask).maximum(1f));
    }

    /** Per-row mean along {@code axis}; rows without a valid element give 0. */
    public static NDArray mean(NDArray x, NDArray mask, int axis) {
        NDArray m = asFloat(mask);
        return x.mul(m).sum(new int[] {axis}).div(m.sum(new int[] {axis}).maximum(1f));
    }

    /**
     * Variance over valid elements. {@code unbiased} applies Bessel's correction n/(n−1), as
     * TRL's {@code masked_var} does; with a single valid element the correction is skipped (the
     * population variance, 0, is returned) instead of dividing by zero.
     */
    public static NDArray variance(NDArray x, NDArray mask, boolean unbiased) {
        NDArray m = asFloat(mask);
        NDArray centered = x.sub(mean(x, m));
        NDArray var = mean(centered.mul(centered), m);
        float n = m.sum().getFloat();
        return unbiased && n > 1 ? var.mul(n / (n - 1)) : var;
    }

    /** x with padded positions set to exactly 0 (also when x holds inf or NaN there). */
    public static NDArray zeroPadding(NDArray x, NDArray mask) {
        return NDArrays.where(asFloat(mask).gt(0f), x, x.zerosLike());
    }
}
