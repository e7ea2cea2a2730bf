package dev.tether.operator.api.v1alpha1;

public enum SchedulePhase {
    /** Waiting for its next tick. */
    Scheduled,
    /** A run of it is going. */
    Running,
    Suspended,
    /** The spec is wrong; the Accepted condition says where. */
    Invalid
}
