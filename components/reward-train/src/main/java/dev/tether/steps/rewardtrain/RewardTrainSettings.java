package dev.tether.steps.rewardtrain;

import dev.tether.step.StepContext;
import dev.tether.steps.sft.train.LearningRateSchedule;

/** The training settings, read and checked once from the step's parameters. */
record RewardTrainSettings(
        long seed,
        String modelKind,
        int steps,
        int batchSize,
        LearningRateSchedule schedule,
        double l2,
        double weightDecay,
        double maxGradNorm,
        double evalFraction,
        boolean normalize,
        boolean appendEos) {

    static final String BOW = "bow";
    static final String TRANSFORMER = "transformer";

    static RewardTrainSettings from(StepContext c) {
        int steps = atLeast(c, "steps", 1);
        double l2 = c.number("l2");
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2: expected a finite number ≥ 0, got " + l2);
        }
        double maxGradNorm = c.number("max_grad_norm");
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("max_grad_norm: expected ≥ 0 (0 = no clipping), got " + maxGradNorm);
        }
        return new RewardTrainSettings(
                c.seed(),
                c.string("model_kind"),
                steps,
                atLeast(c, "batch_size", 0),
                new LearningRateSchedule(c.number("learning_rate"), atLeast(c, "warmup_steps", 0), steps,
                        LearningRateSchedule.Kind.parse(c.string("lr_schedule"))),
                l2,
                c.number("weight_decay"),
                maxGradNorm,
                c.number("eval_fraction"),
                c.flag("normalize"),
                c.flag("append_eos"));
    }

    /** Rows scored together when no gradient is needed. */
    int scoringBatch() {
        return batchSize > 0 ? batchSize : 256;
    }

    private static int atLeast(StepContext c, String name, int min) {
        long v = c.integer(name);
        if (v < min || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected a whole number ≥ " + min + ", got " + v);
        }
        return (int) v;
    }
}
