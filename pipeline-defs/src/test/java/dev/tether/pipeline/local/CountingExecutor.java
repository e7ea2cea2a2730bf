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
        // A shard of a fan-out as the runner names it: <task>/shard-<k>.
        invoked.add(call.task().fannedOut() ? call.task().name() + "/shard-" + call.parameters().get("shard_index") : call.task().name());
        return inner.execute(call);
    }
}
