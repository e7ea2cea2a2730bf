package dev.tether.core.ppo;

import dev.tether.core.nd.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tether.core.masked.Masked;

/**
 * The critic's clipped value loss (PPO2, TRL, OpenAI baselines):
 *
 * <pre>
 *   V_clip = V_old + clip(V − V_old, −ε_v, ε_v)
 *   L = ½ · mean(max((V − R)², (V_clip − R)²))
 * </pre>
 *
 * @param loss scalar, differentiable
 * @param clipfrac fraction of valid tokens where the clipped error is the larger ({@code vf_clipfrac})
 */
public record ValueLoss(NDArray loss, double clipfrac) {

    /** @param clipRangeValue ε_v; infinity switches the clip off (the plain ½·MSE). */
    public static ValueLoss clipped(
            NDArray values, NDArray oldValues, NDArray returns, NDArray mask, double clipRangeValue, LossAggregation aggregation) {
        if (Double.isNaN(clipRangeValue) || clipRangeValue <= 0) {
            throw new IllegalArgumentException("cliprange_value: expected a number > 0 (infinity for none), got " + clipRangeValue);
        }
        NDArray m = Masked.asFloat(mask);
        NDArray vClipped = Double.isInfinite(clipRangeValue)
                ? values
                : oldValues.add(values.sub(oldValues).clip(-clipRangeValue, clipRangeValue));
        NDArray err = values.sub(returns);
        NDArray errClipped = vClipped.sub(returns);
        NDArray sq = err.mul(err);
        NDArray sqClipped = errClipped.mul(errClipped);
        NDArray loss = Scalars.times(aggregation.reduce(sq.maximum(sqClipped), m), 0.5);
        double clipfrac = Masked.mean(sqClipped.gt(sq).toType(DataType.FLOAT32, false), m).getFloat();
        return new ValueLoss(loss, clipfrac);
    }

    public static ValueLoss clipped(NDArray values, NDArray oldValues, NDArray returns, NDArray mask, double clipRangeValue) {
        return clipped(values, oldValues, returns, mask, clipRangeValue, LossAggregation.TOKEN_MEAN);
    }
}
