package dev.tether.operator.api.v1alpha1;

/** What a tick does while a run of the schedule is still going, as for a CronJob. */
public enum ConcurrencyPolicy {
    /** Start the new run beside it. */
    Allow,
    /** Skip the tick. */
    Forbid,
    /** Delete the running run (and so its Workflow), then start the new one. */
    Replace
}
