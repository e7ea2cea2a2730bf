package dev.tether.core.beta;

import dev.tether.core.kl.KlStats;

/** β stays where it was set (β = 0 switches the penalty off). */
public record FixedBetaController(double beta) implements BetaController {
    public FixedBetaController {
        BetaController.requireBeta("beta", beta);
    }

    @Override
    public FixedBetaController next(KlStats kl, int nSamples) {
        BetaController.requireObservation(kl, nSamples);
        return this;
    }
}
