package dev.tether.core.ppo;

import ai.djl.ndarray.NDArray;
import dev.tether.core.masked.Masked;

/**
 * How a per-token loss becomes a scalar. The choice changes how much long responses weigh, so it is
 * a setting, named as veRL names it.
 */
public enum LossAggregation {
    /** Σ over every valid token of the batch / their number: each token weighs the same (TRL, veRL default). */
    TOKEN_MEAN("token-mean"),
    /** Mean over tokens within each sample, then over samples: each sample weighs the same (OpenRLHF, GRPO paper). */
    SEQ_MEAN_TOKEN_MEAN("seq-mean-token-mean");

    private final String id;

    LossAggregation(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public NDArray reduce(NDArray perToken, NDArray mask) {
        return this == TOKEN_MEAN ? Masked.mean(perToken, mask) : Masked.mean(perToken, mask, 1).mean();
    }

    public static LossAggregation parse(String setting, String value) {
        for (LossAggregation a : values()) {
            if (a.id.equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException(setting + ": expected token-mean or seq-mean-token-mean, got '" + value + "'");
    }
}
