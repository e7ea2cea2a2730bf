package dev.tether.core.ppo;

import ai.djl.ndarray.NDArray;
import dev.tether.core.masked.Masked;

/**
 * explained_variance = 1 − Var[R − V] / Var[R] over valid tokens: 1 is a perfect critic, 0 is no
 * better than a constant, negative is worse. Undefined (NaN) when the returns have no variance,
 * as in CleanRL; callers decide how to report that.
 */
public final class ExplainedVariance {
    private ExplainedVariance() {}

    public static double of(NDArray values, NDArray returns, NDArray mask) {
        double varReturns = Masked.variance(returns, mask, true).getFloat();
        if (varReturns == 0) {
            return Double.NaN;
        }
        double varResidual = Masked.variance(returns.sub(values), mask, true).getFloat();
        return 1 - varResidual / varReturns;
    }
}
