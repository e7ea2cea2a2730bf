package dev.tether.operator.schedule;

import dev.tether.core.beta.AcrossRunBeta;
import dev.tether.operator.api.v1alpha1.ConcurrencyPolicy;
import dev.tether.operator.run.RunSettings;

/** A schedule's spec once validated, defaults applied. */
public record ScheduleSettings(
        CronSchedule cron,
        ConcurrencyPolicy concurrencyPolicy,
        Long startingDeadlineSeconds,
        int historyLimit,
        int jumpWindow,
        boolean suspend,
        AcrossRunBeta betaPolicy,
        RunSettings runTemplate) {

    public static final ConcurrencyPolicy DEFAULT_CONCURRENCY = ConcurrencyPolicy.Forbid;
    public static final int DEFAULT_HISTORY_LIMIT = 10;
    public static final int DEFAULT_JUMP_WINDOW = 5;
    public static final double DEFAULT_GAIN = 1.0;
    public static final double DEFAULT_BETA_MIN = 0.0;
    public static final double DEFAULT_BETA_MAX = 10.0;
}
