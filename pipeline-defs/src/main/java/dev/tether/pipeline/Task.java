package dev.tether.pipeline;

import dev.tether.step.StepDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One node of a pipeline: a step, by its full definition (so a compiler renders the component spec
 * from the task alone), with each input artifact and parameter wired to a source. Unwired optional
 * inputs are absent; unwired parameters take the step's default.
 *
 * @param inputs input port → source, in the order they were wired
 * @param parameters parameter name → source, in the order they were wired
 * @param after tasks that must finish first although no data flows from them
 * @param shards for a fanned-out task, how many shards it runs as (a pipeline parameter or a
 *     constant), known only when the pipeline runs: the engine runs the step once per shard, with
 *     {@code shard_index} bound to {@link ParameterSource.ShardIndex}; null for a task that runs once
 */
public record Task(String name, StepDefinition step, Map<String, ArtifactSource> inputs, Map<String, ParameterSource> parameters,
        List<String> after, ParameterSource shards) {

    public Task {
        Objects.requireNonNull(name, "task name");
        Objects.requireNonNull(step, "task " + name + ": step");
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        after = List.copyOf(after);
        inputs.forEach((k, v) -> Objects.requireNonNull(v, "task " + name + ": input " + k));
        parameters.forEach((k, v) -> Objects.requireNonNull(v, "task " + name + ": parameter " + k));
    }

    /** Whether this task runs once per shard (see {@link #shards}). */
    public boolean fannedOut() {
        return shards != null;
    }

    /**
     * The tasks this one waits for, in name order: those it reads artifacts or output parameters
     * from, and those named in {@link #after}. These are Argo's {@code dependencies} and KFP's
     * {@code dependentTasks}.
     */
    public SortedSet<String> dependencies() {
        TreeSet<String> deps = new TreeSet<>(after);
        inputs.values().forEach(s -> {
            if (s instanceof ArtifactSource.TaskOutput o) {
                deps.add(o.task());
            } else if (s instanceof ArtifactSource.Shards o) {
                deps.add(o.task());
            } else if (s instanceof ArtifactSource.SameShard o) {
                deps.add(o.task());
            }
        });
        parameters.values().forEach(s -> {
            if (s instanceof ParameterSource.TaskOutput o) {
                deps.add(o.task());
            }
        });
        return Collections.unmodifiableSortedSet(deps);
    }
}
