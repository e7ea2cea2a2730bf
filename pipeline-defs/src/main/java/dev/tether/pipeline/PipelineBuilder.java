package dev.tether.pipeline;

import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import dev.tether.step.Sharding;
import dev.tether.step.StepDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Declares a pipeline in the order a reader expects — parameters, inputs, then tasks in the order
 * data flows — with helpers for the two shapes RLHF needs: a fan-out over a run-time number of
 * shards merged by one task, and the PPO loop unrolled to a fixed count. The built
 * {@link Pipeline} holds no code.
 */
public final class PipelineBuilder {
    private final String name;
    private String description = "";
    private final List<ParameterSpec> parameters = new ArrayList<>();
    private final List<ArtifactPort> inputs = new ArrayList<>();
    private final List<TaskBuilder> tasks = new ArrayList<>();

    PipelineBuilder(String name) {
        this.name = name;
    }

    public PipelineBuilder description(String text) {
        description = text;
        return this;
    }

    /** A pipeline parameter; null default: it must be set when the pipeline runs. */
    public PipelineBuilder parameter(ParameterSpec p) {
        parameters.add(p);
        return this;
    }

    public PipelineBuilder parameter(String parameter, ParamType type, String defaultValue, String text) {
        return parameter(new ParameterSpec(parameter, type, defaultValue, text, List.of()));
    }

    /** An input artifact, given as a directory (locally) or URI (on a cluster) when the pipeline runs. */
    public PipelineBuilder input(ArtifactPort port) {
        inputs.add(port);
        return this;
    }

    /** Adds task {@code task} running {@code step}; wire it with the returned builder. */
    public TaskBuilder task(String task, StepDefinition step) {
        TaskBuilder t = new TaskBuilder(name, task, step);
        tasks.add(t);
        return t;
    }

    /**
     * Task {@code task} running {@code step} once per shard, {@code shards} times (a pipeline
     * parameter, so the count is chosen when the pipeline runs, or a constant): each run gets
     * {@link Sharding#SHARD_INDEX} (its shard, from 0) and {@link Sharding#NUM_SHARDS}, and is
     * otherwise wired alike by {@code wiring}. A later task reads all shards' output {@code o} as
     * one input with {@link TaskBuilder#shards(String) task.shards(o)}; another fan-out over the
     * same {@code shards} reads its own shard's with {@link TaskBuilder#sameShard(String)
     * task.sameShard(o)}, which makes both one loop body (e.g. rollout → reward per shard).
     */
    public TaskBuilder fanOut(String task, StepDefinition step, ParameterSource shards, Consumer<TaskBuilder> wiring) {
        TaskBuilder t = task(task, step).fanOut(shards)
                .parameter(Sharding.SHARD_INDEX, new ParameterSource.ShardIndex())
                .parameter(Sharding.NUM_SHARDS, shards);
        wiring.accept(t);
        return t;
    }

    /** One iteration of an unrolled loop: adds its tasks and returns what the next iteration needs. */
    @FunctionalInterface
    public interface Iteration<T> {
        T add(int index, T carried);
    }

    /**
     * Unrolls a loop to {@code count} iterations: iteration i gets what iteration i−1 returned
     * (the first gets {@code initial}), e.g. the PPO loop, where each iteration's updated policy is
     * the next one's starting policy. Returns what the last iteration returned.
     */
    public <T> T unroll(int count, T initial, Iteration<T> body) {
        if (count < 1) {
            throw new IllegalArgumentException("pipeline " + name + ": an unrolled loop needs ≥ 1 iteration, got " + count);
        }
        T carried = initial;
        for (int i = 0; i < count; i++) {
            carried = body.add(i, carried);
        }
        return carried;
    }

    /** The pipeline, checked; every problem found is in the {@link PipelineException}. */
    public Pipeline build() {
        return new Pipeline(name, description, parameters, inputs, tasks.stream().map(TaskBuilder::build).toList());
    }
}
