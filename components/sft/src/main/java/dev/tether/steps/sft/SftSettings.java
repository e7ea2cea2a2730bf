package dev.tether.steps.sft;

import dev.tether.step.StepContext;
import dev.tether.steps.sft.train.LearningRateSchedule;

/** The training settings, read and checked once from the step's parameters. */
record SftSettings(
        long seed,
        int steps,
        int batchSize,
        LearningRateSchedule schedule,
        double weightDecay,
        double maxGradNorm,
        int maxLength,
        double evalFraction,
        boolean appendEos) {

    static SftSettings from(StepContext c) {
        int steps = atLeast(c, "steps", 1);
        int batch = atLeast(c, "batch_size", 1);
        double maxGradNorm = c.number("max_grad_norm");
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("max_grad_norm: expected ≥ 0 (0 = no clipping), got " + maxGradNorm);
        }
        return new SftSettings(
                c.seed(),
                steps,
                batch,
                new LearningRateSchedule(c.number("learning_rate"), atLeast(c, "warmup_steps", 0), steps,
                        LearningRateSchedule.Kind.parse(c.string("lr_schedule"))),
                c.number("weight_decay"),
                maxGradNorm,
                atLeast(c, "max_length", 0),
                c.number("eval_fraction"),
                c.flag("append_eos"));
    }

    private static int atLeast(StepContext c, String name, int min) {
        long v = c.integer(name);
        if (v < min || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected a whole number ≥ " + min + ", got " + v);
        }
        return (int) v;
    }
}
