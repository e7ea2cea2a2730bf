package dev.tether.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/** The language-model head shared by GPT-2 and Llama: hidden [..., D] · Wᵀ with W [V, D]. */
final class LmHead {

  /**
   * Up to this many rows, the head runs as (W · hᵀ)ᵀ. For a few rows (a sampling step) the CPU
   * GEMM streams the 150 MB W about 2.5× faster with W as the left, untransposed operand than as
   * the transposed right one (measured with libtorch 2.7's MKL: 7 ms instead of 18 ms at 4 rows
   * of GPT-2 small); from about 16 rows on the plain product is as fast or faster.
   */
  static final long FEW_ROWS = 8;

  private LmHead() {}

  /** Logits [..., V] for {@code hidden} [..., D]; the caller's scope owns the intermediates. */
  static NDArray logits(NDArray hidden, NDArray weight) {
    Shape s = hidden.getShape();
    long d = s.get(s.dimension() - 1);
    long rows = s.size() / d;
    if (rows > FEW_ROWS) {
      return Linear.linear(hidden, weight).singletonOrThrow();
    }
    NDArray flat = hidden.reshape(rows, d);
    NDArray transposed = weight.matMul(flat.transpose()); // [V, rows]
    return transposed.transpose().reshape(s.slice(0, s.dimension() - 1).add(weight.getShape().get(0)));
  }
}
