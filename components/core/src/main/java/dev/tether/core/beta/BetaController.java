package dev.tether.core.beta;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tether.core.kl.KlStats;

/**
 * Sets β, the weight of the KL penalty. Controllers are immutable values: {@link #next} returns
 * the controller for the following iteration, and the whole value is the state that goes into a
 * checkpoint ({@link BetaControllerJson}), so a resumed run continues with exactly the β it had.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = FixedBetaController.class, name = "fixed"),
    @JsonSubTypes.Type(value = AdaptiveKlController.class, name = "adaptive")
})
public sealed interface BetaController permits FixedBetaController, AdaptiveKlController {

    /** The β to use for the current iteration. */
    double beta();

    /**
     * The controller after observing an iteration's KL over {@code nSamples} samples.
     *
     * @throws IllegalArgumentException if the KL is not finite or nSamples ≤ 0
     */
    BetaController next(KlStats kl, int nSamples);

    static void requireBeta(String setting, double beta) {
        if (!Double.isFinite(beta) || beta < 0) {
            throw new IllegalArgumentException(setting + ": expected a finite number ≥ 0, got " + beta);
        }
    }

    static void requireObservation(KlStats kl, int nSamples) {
        if (kl == null || !Double.isFinite(kl.klSeq()) || !Double.isFinite(kl.klToken())) {
            throw new IllegalArgumentException("observed KL must be finite to update β, got " + kl);
        }
        if (nSamples <= 0) {
            throw new IllegalArgumentException("n_samples: expected > 0 samples behind the KL, got " + nSamples);
        }
    }
}
