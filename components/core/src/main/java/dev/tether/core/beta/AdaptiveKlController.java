package dev.tether.core.beta;

import dev.tether.core.kl.KlStats;

/**
 * Ziegler et al. (2019)'s proportional controller, as in TRL's {@code AdaptiveKLController}:
 *
 * <pre>
 *   e = clip(KL / target − 1, −0.2, 0.2)
 *   β ← β · (1 + e · n / horizon)
 * </pre>
 *
 * with n the samples behind the observed KL. The clip bounds the relative change to 0.2·n/horizon
 * per update whatever the KL does. The KL is read in the target's unit, so a target in nats per
 * token is compared with kl_token, never with kl_seq.
 *
 * @param beta the current β
 * @param target the KL to steer towards, with its unit
 * @param horizon samples over which a persistent error changes β by a factor of about e^{0.2}
 * @param updates how many updates this controller has made (for the checkpoint and the audit)
 */
public record AdaptiveKlController(double beta, KlTarget target, double horizon, long updates)
        implements BetaController {

    /** Ziegler's bound on the proportional error. */
    public static final double ERROR_CLIP = 0.2;

    public AdaptiveKlController {
        BetaController.requireBeta("beta", beta);
        if (target == null) {
            throw new IllegalArgumentException("kl_target: an adaptive controller needs a target, got nothing");
        }
        if (!Double.isFinite(horizon) || horizon <= 0) {
            throw new IllegalArgumentException("horizon: expected a finite number > 0, got " + horizon);
        }
        if (updates < 0) {
            throw new IllegalArgumentException("updates: expected ≥ 0, got " + updates);
        }
    }

    public AdaptiveKlController(double initialBeta, KlTarget target, double horizon) {
        this(initialBeta, target, horizon, 0);
    }

    /** e = clip(kl/target − 1, −0.2, 0.2). */
    public static double proportionalError(double kl, double target) {
        return Math.max(-ERROR_CLIP, Math.min(ERROR_CLIP, kl / target - 1));
    }

    @Override
    public AdaptiveKlController next(KlStats kl, int nSamples) {
        BetaController.requireObservation(kl, nSamples);
        double e = proportionalError(kl.in(target.unit()), target.value());
        double multiplier = 1 + e * nSamples / horizon;
        return new AdaptiveKlController(beta * multiplier, target, horizon, updates + 1);
    }
}
