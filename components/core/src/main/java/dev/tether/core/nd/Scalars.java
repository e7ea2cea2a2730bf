package dev.tether.core.nd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that is safe under autograd.
 *
 * <p>DJL 0.36's PyTorch engine implements {@code x.mul(2f)}, {@code div}, {@code pow},
 * {@code maximum}, {@code minimum} with a {@link Number} by creating the scalar from a Java direct
 * buffer (torch {@code from_blob}, no copy) and closing it right after the op. Autograd keeps the
 * scalar tensor for the backward pass, but nothing keeps its buffer: once the garbage collector
 * frees it, the backward pass multiplies by whatever now lives in that memory — gradients of 1e30
 * or NaN, at random, more often under memory pressure ({@code ScalarsTest} reproduces it). A
 * scalar made by {@code full} lives in torch's own memory, which autograd's reference keeps alive.
 * Use these in every differentiable path.
 */
public final class Scalars {
    private Scalars() {}

    /** A 0-d tensor of {@code value} in torch-owned memory, in {@code like}'s manager and type. */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** x · c */
    public static NDArray times(NDArray x, double c) {
        return x.mul(scalar(x, c));
    }

    /** x / c */
    public static NDArray over(NDArray x, double c) {
        return x.div(scalar(x, c));
    }

    /** x + c (the backward of a sum needs no constant; kept for symmetry at call sites) */
    public static NDArray plus(NDArray x, double c) {
        return x.add(scalar(x, c));
    }

    /** x − c */
    public static NDArray minus(NDArray x, double c) {
        return x.sub(scalar(x, c));
    }

    /** x^c */
    public static NDArray pow(NDArray x, double c) {
        return x.pow(scalar(x, c));
    }

    /** max(x, c) */
    public static NDArray atLeast(NDArray x, double c) {
        return x.maximum(scalar(x, c));
    }

    /** min(x, c) */
    public static NDArray atMost(NDArray x, double c) {
        return x.minimum(scalar(x, c));
    }
}
