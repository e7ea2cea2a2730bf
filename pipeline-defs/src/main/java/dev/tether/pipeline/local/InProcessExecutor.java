package dev.tether.pipeline.local;

import dev.tether.step.ExitCode;
import dev.tether.step.Step;
import dev.tether.step.StepCatalog;
import dev.tether.step.StepDefinition;
import dev.tether.step.StepRunner;
import java.util.List;

/** Runs each task's step in this JVM through {@link StepRunner}, the step found by name. */
public final class InProcessExecutor implements Executor {
    private final StepCatalog steps;

    public InProcessExecutor(StepCatalog steps) {
        this.steps = steps;
    }

    @Override
    public StepRunner.Result execute(TaskCall call) throws TaskFailure {
        StepDefinition expected = call.task().step();
        Step step;
        try {
            step = steps.get(expected.name());
        } catch (IllegalArgumentException e) {
            throw new TaskFailure(ExitCode.BAD_INPUT, e.getMessage(), e);
        }
        // The pipeline was wired against a definition; a step whose signature has since changed
        // would get the wrong inputs or parameters.
        if (!step.definition().equals(expected)) {
            throw new TaskFailure(ExitCode.BAD_INPUT, "step " + expected.name() + " (" + step.getClass().getName()
                    + ") declares a different signature than the pipeline was built with; rebuild the pipeline from the step's definition()");
        }
        try {
            return StepRunner.run(step, new StepRunner.Invocation(call.inputs(), call.outputs(), call.parameters(), List.of(), call.log(),
                    call.terminal()));
        } catch (Exception | Error e) {
            int code = ExitCode.of(e);
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new TaskFailure(code, (code == ExitCode.FAILED ? e.getClass().getSimpleName() + ": " : "") + message, e);
        }
    }
}
