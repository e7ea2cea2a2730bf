package dev.tether.pipeline.local;

import dev.tether.step.StepRunner;

/**
 * Runs one task's step for the {@link LocalRunner}. {@link InProcessExecutor} calls the step in
 * this JVM; a container executor would run the step's image with the same paths mounted and the
 * step's command line ({@code StepCli}), reading output parameters back from
 * {@code --argo-outputs}.
 */
public interface Executor {

    /**
     * Runs the step; its outputs are committed under {@link TaskCall#outputs()} when this returns.
     *
     * @return the output parameters and metrics the step reported
     * @throws TaskFailure with the step's exit code and one-line message when it did not succeed
     */
    StepRunner.Result execute(TaskCall call) throws TaskFailure;
}
