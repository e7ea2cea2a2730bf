package dev.tether.steps.sft.train;

/**
 * The learning rate at each optimizer step, as transformers' schedulers compute it (step s counts
 * from 0): a linear warm-up, lr·s/warmup, then either constant or a cosine from lr down to 0 at
 * step {@code total}: lr·½(1 + cos(π·(s − warmup)/(total − warmup))) — transformers'
 * {@code get_cosine_schedule_with_warmup}.
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, Kind kind) {

    public enum Kind {
        CONSTANT,
        COSINE;

        public static Kind parse(String name) {
            return switch (name) {
                case "constant" -> CONSTANT;
                case "cosine" -> COSINE;
                default -> throw new IllegalArgumentException("lr_schedule: expected constant or cosine, got '" + name + "'");
            };
        }
    }

    public LearningRateSchedule {
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("learning_rate: expected a finite number > 0, got " + peak);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmup_steps: expected ≥ 0, got " + warmupSteps);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("steps: expected ≥ 1, got " + totalSteps);
        }
    }

    public double at(int step) {
        if (step < warmupSteps) {
            return peak * step / warmupSteps;
        }
        if (kind == Kind.CONSTANT) {
            return peak;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return peak * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
    }
}
