package dev.tether.steps.ppo;

import dev.tether.core.beta.AdaptiveKlController;
import dev.tether.core.beta.BetaController;
import dev.tether.core.beta.FixedBetaController;
import dev.tether.core.beta.KlTarget;
import dev.tether.core.kl.KlEstimator;
import dev.tether.core.kl.KlUnit;
import dev.tether.core.ppo.LossAggregation;
import dev.tether.step.StepContext;

/** The update's settings, read and checked once from the step's parameters. */
record PpoSettings(
        double initialBeta,
        String klController,
        KlTarget klTarget,
        double klHorizon,
        KlEstimator klEstimator,
        boolean klInReward,
        boolean klLossStraightThrough,
        KlGuard guard,
        double gamma,
        double lambda,
        String whiten,
        double cliprange,
        double cliprangeValue,
        double dualClip,
        double vfCoef,
        double entCoef,
        double learningRate,
        double criticLearningRate,
        int epochs,
        int minibatches,
        double maxGradNorm,
        double missingEosPenalty,
        double scoreClip,
        LossAggregation aggregation,
        boolean separateCritic,
        int criticWarmup,
        long seed) {

    static PpoSettings from(StepContext c) {
        KlUnit unit = KlUnit.parse(c.string("kl_target_unit"));
        int epochs = (int) c.integer("ppo_epochs");
        int minibatches = (int) c.integer("num_minibatches");
        if (epochs < 1) {
            throw new IllegalArgumentException("ppo_epochs: expected ≥ 1, got " + epochs);
        }
        if (minibatches < 1) {
            throw new IllegalArgumentException("num_minibatches: expected ≥ 1, got " + minibatches);
        }
        double lr = positive("learning_rate", c.number("learning_rate"));
        double criticLr = c.number("critic_learning_rate");
        double scoreClip = c.number("score_clip");
        double dual = c.number("dual_clip");
        return new PpoSettings(
                c.number("beta"),
                c.string("kl_controller"),
                new KlTarget(c.number("kl_target"), unit),
                c.number("kl_horizon"),
                KlEstimator.parse("kl_estimator", c.string("kl_estimator")),
                c.string("kl_mode").equals("reward"),
                c.string("kl_loss").equals("k3-st"),
                new KlGuard(c.number("kl_budget"), c.number("kl_jump_ratio"), 3, unit),
                c.number("gamma"),
                c.number("lam"),
                c.string("whiten_advantages"),
                positive("cliprange", c.number("cliprange")),
                c.number("cliprange_value") <= 0 ? Double.POSITIVE_INFINITY : c.number("cliprange_value"),
                dual <= 0 ? Double.NaN : dual,
                c.number("vf_coef"),
                c.number("ent_coef"),
                lr,
                criticLr > 0 ? criticLr : lr,
                epochs,
                minibatches,
                positive("max_grad_norm", c.number("max_grad_norm")),
                c.number("missing_eos_penalty"),
                scoreClip <= 0 ? Double.POSITIVE_INFINITY : scoreClip,
                LossAggregation.parse("loss_aggregation", c.string("loss_aggregation")),
                c.string("critic").equals("separate"),
                nonNegative("critic_warmup", c.integer("critic_warmup")),
                c.seed());
    }

    /** The controller a run starts with when the policy carries no β state yet. */
    BetaController initialController() {
        return klController.equals("fixed")
                ? new FixedBetaController(initialBeta)
                : new AdaptiveKlController(initialBeta, klTarget, klHorizon);
    }

    private static int nonNegative(String name, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + ": expected ≥ 0, got " + v);
        }
        return (int) v;
    }

    private static double positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + ": expected a finite number > 0, got " + v);
        }
        return v;
    }
}
