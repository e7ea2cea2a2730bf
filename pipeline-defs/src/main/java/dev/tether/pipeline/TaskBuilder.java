package dev.tether.pipeline;

import dev.tether.step.StepDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wires one task while a pipeline is being built. Names are checked against the step's definition
 * when the pipeline is built, so every problem is reported together.
 */
public final class TaskBuilder {
    private final String pipeline;
    private final String name;
    private final StepDefinition step;
    private final Map<String, ArtifactSource> inputs = new LinkedHashMap<>();
    private final Map<String, ParameterSource> parameters = new LinkedHashMap<>();
    private final List<String> after = new ArrayList<>();
    private ParameterSource shards;

    TaskBuilder(String pipeline, String name, StepDefinition step) {
        this.pipeline = pipeline;
        this.name = name;
        this.step = step;
    }

    public String name() {
        return name;
    }

    public StepDefinition step() {
        return step;
    }

    public TaskBuilder input(String port, ArtifactSource source) {
        ArtifactSource before = inputs.putIfAbsent(port, source);
        if (before != null) {
            throw new IllegalArgumentException("pipeline " + pipeline + ": task " + name + ": input '" + port + "' is wired twice (to "
                    + before + " and " + source + ")");
        }
        return this;
    }

    /** Wires input {@code port} to output {@code output} of task {@code task}. */
    public TaskBuilder input(String port, String task, String output) {
        return input(port, ArtifactSource.output(task, output));
    }

    public TaskBuilder parameter(String parameter, ParameterSource source) {
        ParameterSource before = parameters.putIfAbsent(parameter, source);
        if (before != null) {
            throw new IllegalArgumentException("pipeline " + pipeline + ": task " + name + ": parameter '" + parameter
                    + "' is wired twice (to " + before + " and " + source + ")");
        }
        return this;
    }

    /** Sets {@code parameter} to a constant. */
    public TaskBuilder set(String parameter, Object value) {
        return parameter(parameter, ParameterSource.constant(value));
    }

    /** Runs this task only after {@code tasks}, although it reads nothing from them. */
    public TaskBuilder after(String... tasks) {
        after.addAll(List.of(tasks));
        return this;
    }

    /** This task's output {@code output}, to wire into a later task. */
    public ArtifactSource output(String output) {
        return ArtifactSource.output(name, output);
    }

    /** This task's output parameter {@code parameter}, to wire into a later task. */
    public ParameterSource outputParameter(String parameter) {
        return ParameterSource.outputParameter(name, parameter);
    }

    /**
     * Output {@code output} of every shard of this fanned-out task (see
     * {@link PipelineBuilder#fanOut}), for a merge step's shards input.
     */
    public ArtifactSource shards(String output) {
        return new ArtifactSource.Shards(name, output);
    }

    /**
     * Output {@code output} of the shard of this fanned-out task that a task fanned out alongside it
     * is working on (see {@link PipelineBuilder#fanOut}): a second step of the loop body.
     */
    public ArtifactSource sameShard(String output) {
        return new ArtifactSource.SameShard(name, output);
    }

    TaskBuilder fanOut(ParameterSource count) {
        shards = count;
        return this;
    }

    Task build() {
        return new Task(name, step, inputs, parameters, after, shards);
    }
}
