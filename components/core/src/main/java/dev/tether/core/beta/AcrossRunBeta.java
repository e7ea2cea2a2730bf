package dev.tether.core.beta;

/**
 * β from one run to the next, as a schedule carries it (the operator's policy):
 *
 * <pre>
 *   carry:  β_next = clamp(β_final · (1 + k · clip(KL/target − 1, −0.2, 0.2)), β_min, β_max)
 *   fixed:  β_next = β_initial
 * </pre>
 *
 * β_final is where the last run's own controller left β; the correction then leans on the run's KL
 * against the schedule's target, so a run that drifted makes the next one stricter. A run that was
 * gated (not promoted: KL over budget, a jump against history, a failed evaluation) counts as the
 * largest overshoot, e = +0.2, whatever its KL: the next run must be more careful, never less.
 *
 * @param gain k, how strongly the run's KL error moves β (1 = Ziegler's proportional step)
 */
public record AcrossRunBeta(Mode mode, double initialBeta, KlTarget target, double gain, double betaMin, double betaMax) {

    public enum Mode {
        FIXED,
        CARRY
    }

    public AcrossRunBeta {
        if (mode == null) {
            throw new IllegalArgumentException("betaPolicy: expected fixed or carry, got nothing");
        }
        BetaController.requireBeta("initialBeta", initialBeta);
        BetaController.requireBeta("betaMin", betaMin);
        BetaController.requireBeta("betaMax", betaMax);
        if (betaMin > betaMax) {
            throw new IllegalArgumentException("betaMin: expected ≤ betaMax (" + betaMax + "), got " + betaMin);
        }
        if (!Double.isFinite(gain) || gain <= 0) {
            throw new IllegalArgumentException("gain: expected a finite number > 0, got " + gain);
        }
        if (mode == Mode.CARRY && target == null) {
            throw new IllegalArgumentException("klTarget: the carry policy needs a KL target, got nothing");
        }
    }

    /** The β the first run of a schedule starts from. */
    public double firstBeta() {
        return clamp(initialBeta);
    }

    /**
     * @param betaFinal the last run's final β (its controller's state at the end)
     * @param kl the last run's KL, in the target's unit
     * @param gated whether the last run was refused promotion
     */
    public double next(double betaFinal, double kl, boolean gated) {
        if (mode == Mode.FIXED) {
            return firstBeta();
        }
        BetaController.requireBeta("betaFinal", betaFinal);
        if (!gated && !Double.isFinite(kl)) {
            throw new IllegalArgumentException("kl: expected the last run's KL as a finite number, got " + kl);
        }
        double e = gated
                ? AdaptiveKlController.ERROR_CLIP
                : AdaptiveKlController.proportionalError(kl, target.value());
        return clamp(betaFinal * (1 + gain * e));
    }

    private double clamp(double beta) {
        return Math.max(betaMin, Math.min(betaMax, beta));
    }
}
