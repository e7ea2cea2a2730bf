package dev.tether.pipeline;

import dev.tether.step.ArtifactPort;
import dev.tether.step.ParameterSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A pipeline: typed parameters with defaults, input artifacts given when it runs, and tasks wired
 * to them and to each other. Immutable plain data, checked when constructed, so whatever holds a
 * {@code Pipeline} — the local runner, the KFP and Argo compilers — can walk it without checking
 * again:
 * <pre>
 * for (Task t : pipeline.tasks()) {          // dependency order, deterministic
 *   t.step()                                  // the step's full definition: the component spec
 *   t.inputs()                                // port → ArtifactSource (TaskOutput | Shards | SameShard | PipelineInput)
 *   t.parameters()                            // name → ParameterSource (Constant | PipelineParameter | TaskOutput | ShardIndex)
 *   t.shards()                                // null, or the shard count of a task that runs once per shard
 *   t.dependencies()                          // Argo dependencies / KFP dependentTasks
 * }
 * </pre>
 *
 * @param parameters pipeline parameters; a null default means it must be set when run
 * @param inputs input artifacts, each given as a directory (or URI) when run
 * @param tasks in dependency order: every task after those it depends on, ties in declaration order
 */
public record Pipeline(String name, String description, List<ParameterSpec> parameters, List<ArtifactPort> inputs, List<Task> tasks) {

    public Pipeline {
        description = Objects.requireNonNullElse(description, "");
        parameters = List.copyOf(parameters);
        inputs = List.copyOf(inputs);
        tasks = List.copyOf(tasks);
        List<String> problems = PipelineValidator.problems(name, parameters, inputs, tasks);
        if (!problems.isEmpty()) {
            throw new PipelineException(name, problems);
        }
        tasks = List.copyOf(TaskOrder.sort(tasks));
    }

    public static PipelineBuilder builder(String name) {
        return new PipelineBuilder(name);
    }

    public Optional<Task> task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public Optional<ParameterSpec> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<ArtifactPort> input(String name) {
        return inputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * {@code targets} and every task they depend on, directly or through others, in name order.
     *
     * @throws IllegalArgumentException naming a target that is not a task of this pipeline
     */
    public SortedSet<String> upstreamOf(java.util.Collection<String> targets) {
        TreeSet<String> found = new TreeSet<>();
        for (String t : targets) {
            if (tasks.stream().noneMatch(x -> x.name().equals(t))) {
                throw new IllegalArgumentException("pipeline " + name + " has no task '" + t + "'");
            }
            found.add(t);
        }
        // tasks are in dependency order, so walking them backwards sees every dependent before its upstreams.
        for (int i = tasks.size() - 1; i >= 0; i--) {
            Task t = tasks.get(i);
            if (found.contains(t.name())) {
                found.addAll(t.dependencies());
            }
        }
        return found;
    }

    /**
     * The loop a fanned-out task runs in, by the name of the loop's first task: fan-outs joined by
     * {@link ArtifactSource.SameShard} inputs are one loop body (one KFP ParallelFor), which the
     * validator keeps to one loop per task.
     */
    public String loopOf(Task task) {
        Task t = task;
        while (true) {
            var next = t.inputs().values().stream().filter(ArtifactSource.SameShard.class::isInstance)
                    .map(s -> ((ArtifactSource.SameShard) s).task()).findFirst();
            if (next.isEmpty()) {
                return t.name();
            }
            t = task(next.get()).orElseThrow();
        }
    }

    /** The tasks of the loop {@code loop} names (see {@link #loopOf}), in dependency order. */
    public List<Task> loopBody(String loop) {
        return tasks.stream().filter(t -> t.fannedOut() && loopOf(t).equals(loop)).toList();
    }

    /** The tasks that depend on {@code task}, directly or through others, in name order. */
    public SortedSet<String> downstream(String task) {
        TreeSet<String> found = new TreeSet<>();
        // tasks are in dependency order, so one pass sees every upstream before its dependents.
        for (Task t : tasks) {
            if (t.dependencies().contains(task) || t.dependencies().stream().anyMatch(found::contains)) {
                found.add(t.name());
            }
        }
        return found;
    }
}
