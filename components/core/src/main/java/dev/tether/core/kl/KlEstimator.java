package dev.tether.core.kl;

import dev.tether.core.nd.Scalars;
import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * Per-token estimators of KL(π_θ ‖ π_ref) from the log-probabilities of the sampled tokens
 * (Schulman, "Approximating KL divergence", 2020). With {@code logr = log π_ref(y_t) − log π_θ(y_t)}
 * and y_t drawn from π_θ:
 *
 * <ul>
 *   <li>k1 = −logr: unbiased, high variance, negative about half the time;
 *   <li>k2 = ½·logr²: biased, low variance; its gradient is the right one for a KL <em>loss</em>;
 *   <li>k3 = (e^logr − 1) − logr: unbiased, low variance, never negative;
 *   <li>abs = |logr|.
 * </ul>
 *
 * The values are unmasked: callers reduce them with {@link KlStats} or {@code Masked}.
 */
public enum KlEstimator {
    K1 {
        @Override
        public NDArray perToken(NDArray logprobs, NDArray refLogprobs) {
            return logprobs.sub(refLogprobs);
        }
    },
    K2 {
        @Override
        public NDArray perToken(NDArray logprobs, NDArray refLogprobs) {
            NDArray logr = logRatio(logprobs, refLogprobs);
            return Scalars.times(logr.mul(logr), 0.5);
        }
    },
    K3 {
        @Override
        public NDArray perToken(NDArray logprobs, NDArray refLogprobs) {
            NDArray logr = logRatio(logprobs, refLogprobs);
            return logr.exp().sub(1f).sub(logr);
        }
    },
    ABS {
        @Override
        public NDArray perToken(NDArray logprobs, NDArray refLogprobs) {
            return logprobs.sub(refLogprobs).abs();
        }
    };

    /** The estimate for each token, same shape as the inputs. */
    public abstract NDArray perToken(NDArray logprobs, NDArray refLogprobs);

    /** logr = log π_ref − log π_θ, the log of the importance ratio π_ref/π_θ. */
    public static NDArray logRatio(NDArray logprobs, NDArray refLogprobs) {
        return refLogprobs.sub(logprobs);
    }

    /** The name used in configs and metrics: "k1", "k2", "k3", "abs". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "k1"/"k2"/"k3"/"abs" (case-insensitive); the error names the setting. */
    public static KlEstimator parse(String setting, String value) {
        if (value != null) {
            for (KlEstimator e : values()) {
                if (e.id().equalsIgnoreCase(value.trim())) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException(
                setting + ": expected one of k1, k2, k3, abs, got " + (value == null ? "nothing" : "'" + value + "'"));
    }
}
