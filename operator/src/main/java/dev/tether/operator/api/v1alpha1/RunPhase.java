package dev.tether.operator.api.v1alpha1;

/** Where a run is. Succeeded, Gated and Failed are final: a finished run never starts a second Workflow. */
public enum RunPhase {
    /** Accepted, its Workflow not created yet (e.g. waiting for its WorkflowTemplate or β source). */
    Pending,
    Running,
    /** Finished within budget: promoted. */
    Succeeded,
    /** Finished, but refused promotion (KL over budget, a KL jump, a failed evaluation). */
    Gated,
    /** The Workflow failed, was deleted, or gave no usable outputs. */
    Failed,
    /** The spec is wrong; the Accepted condition says where. Editing the spec tries again. */
    Invalid;

    public boolean isFinished() {
        return this == Succeeded || this == Gated || this == Failed;
    }
}
