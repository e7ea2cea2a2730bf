package dev.tether.pipeline.local;

import dev.tether.pipeline.Task;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything an {@link Executor} needs to run one task: the task (with its step's definition),
 * the directories of its wired inputs, where each output goes, and its parameters as text (only
 * those wired; the step's defaults fill the rest).
 *
 * @param log where the step's own progress and messages go
 * @param terminal whether {@code log} is a terminal (progress bars redraw in place)
 */
public record TaskCall(Task task, Map<String, Path> inputs, Map<String, Path> outputs, Map<String, String> parameters, PrintStream log,
        boolean terminal) {
    public TaskCall {
        inputs = Map.copyOf(inputs);
        outputs = Map.copyOf(outputs);
        parameters = Map.copyOf(parameters);
    }
}
