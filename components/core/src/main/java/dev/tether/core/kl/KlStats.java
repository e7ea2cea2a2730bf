package dev.tether.core.kl;

import ai.djl.ndarray.NDArray;
import dev.tether.core.masked.Masked;

/**
 * A batch's KL in both units.
 *
 * @param klSeq Σ_t kl_t per sample, then the mean over samples (all samples count, an empty
 *     response contributes 0) — nats per sequence
 * @param klToken Σ kl_t / number of valid tokens over the whole batch — nats per token. This is
 *     the token-weighted mean (veRL's "token-mean"); OpenRLHF's per-sample mean of means weighs
 *     short responses more and is not what is reported here.
 */
public record KlStats(double klSeq, double klToken) {

    /** Reduces per-token KL estimates [B, T] with the response mask [B, T]. */
    public static KlStats of(NDArray klPerToken, NDArray mask) {
        double seq = Masked.sum(klPerToken, mask, 1).mean().getFloat();
        double token = Masked.mean(klPerToken, mask).getFloat();
        return new KlStats(seq, token);
    }

    /** The value in the given unit. */
    public double in(KlUnit unit) {
        return unit == KlUnit.KL_SEQ ? klSeq : klToken;
    }
}
