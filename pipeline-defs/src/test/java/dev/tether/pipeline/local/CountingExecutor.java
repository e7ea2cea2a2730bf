package dev.tether.pipeline.local;

import dev.tether.step.StepCatalog;
import dev.tether.step.StepRunner;
import java.util.ArrayList;
import java.util.List;

/** The in-process executor, counting which tasks it was asked to run. */
final class CountingExecutor implements Executor {
    private final Executor inner;
    final List<String> invoked = new ArrayList<>();

    CountingExecutor(StepCatalog steps) {
        inner = new InProcessExecutor(steps);
    }

    @Override
    public StepRunner.Result execute(TaskCall call) throws TaskFailure {
        invoked.add(call.task().name());
        return inner.execute(call);
    }
}
