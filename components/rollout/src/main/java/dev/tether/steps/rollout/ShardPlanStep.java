package dev.tether.steps.rollout;

import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import dev.tether.step.Resources;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a shard count into the list of shard indices {@code [0, 1, …, num_shards-1]}. KFP's
 * ParallelFor loops over a list, not a count, so the KFP rendering of a fan-out over a count
 * parameter runs this step first and loops over its output (see pipeline-defs' ParallelFor); the
 * local runner and Argo loop over the count itself and never run it.
 */
public final class ShardPlanStep implements Step {
    public static final String NAME = "shard-plan";
    public static final String NUM_SHARDS = "num_shards";
    public static final String SHARD_INDICES = "shard_indices";
    /** More shards than any cluster runs; a typo (1e6) fails here, not in the loop. */
    public static final long MAX_SHARDS = 10_000;

    public static final StepDefinition DEFINITION = StepDefinition.builder(NAME)
            .description("Plan a fan-out: the shard indices 0 … num_shards-1 that KFP's ParallelFor iterates over.")
            .parameter(ParameterSpec.required(NUM_SHARDS, ParamType.INT, "How many shards the work is split into (at least 1)."))
            .outputParameter(SHARD_INDICES, ParamType.LIST, "The shard indices [0, 1, …, num_shards-1].")
            // A JVM that loads no engine and writes one line: a quarter CPU and a small heap are plenty.
            .resources(Resources.cpu("250m", "512Mi"))
            .build();

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) {
        ctx.outputParameter(SHARD_INDICES, indices(ctx.integer(NUM_SHARDS)));
    }

    /** {@code [0 … n-1]}; a count below 1 or above {@link #MAX_SHARDS} is refused, naming the parameter. */
    public static List<Long> indices(long n) {
        if (n < 1 || n > MAX_SHARDS) {
            throw new IllegalArgumentException(NUM_SHARDS + ": expected a shard count from 1 to " + MAX_SHARDS + ", got " + n);
        }
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return List.copyOf(out);
    }
}
