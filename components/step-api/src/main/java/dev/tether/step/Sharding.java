package dev.tether.step;

import dev.tether.core.artifact.ArtifactReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The convention that lets a pipeline fan a step out over shards and merge the results, shared by
 * the steps (which declare it) and the pipeline builder (which wires it):
 * <ul>
 *   <li>a sharded step declares INT parameters {@value #SHARD_INDEX} and {@value #NUM_SHARDS}
 *       ({@link #parameters()}) and works on its share of the rows;</li>
 *   <li>a merge step declares inputs {@code <prefix>_0 … <prefix>_<max-1>}
 *       ({@link #mergeInputs}); the pipeline wires shard i's output to {@code <prefix>_i}, and the
 *       step reads the ones given with {@link #shards}.</li>
 * </ul>
 * Fixed, named ports rather than a list-valued input keep every engine's rendering plain: a static
 * DAG task with N input artifacts in Argo and in KFP, N paths in the local runner.
 */
public final class Sharding {
    public static final String SHARD_INDEX = "shard_index";
    public static final String NUM_SHARDS = "num_shards";

    private Sharding() {}

    /** The two parameters a sharded step declares; unsharded, it is shard 0 of 1. */
    public static List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.optional(SHARD_INDEX, ParamType.INT, "0", "Which shard this task works on, from 0."),
                ParameterSpec.optional(NUM_SHARDS, ParamType.INT, "1", "How many shards the work is split into."));
    }

    /** The merge input that receives shard {@code index}. */
    public static String port(String prefix, int index) {
        return prefix + "_" + index;
    }

    /**
     * Inputs for up to {@code maxShards} shards; the first is required, the others optional, so a
     * pipeline can use any shard count from 1 to {@code maxShards}.
     */
    public static List<ArtifactPort> mergeInputs(String prefix, String schema, ArtifactKind kind, String description, int maxShards) {
        if (maxShards < 1) {
            throw new IllegalArgumentException("merge inputs " + prefix + ": maxShards must be ≥ 1, got " + maxShards);
        }
        List<ArtifactPort> ports = new ArrayList<>();
        for (int i = 0; i < maxShards; i++) {
            ArtifactPort p = ArtifactPort.of(port(prefix, i), schema, kind, description + " (shard " + i + ")");
            ports.add(i == 0 ? p : p.asOptional());
        }
        return ports;
    }

    /** The shards a merge step was given, in shard order; a gap (shard 2 without shard 1) is refused. */
    public static List<ArtifactReader> shards(StepContext ctx, String prefix) {
        List<ArtifactReader> given = new ArrayList<>();
        int i = 0;
        for (; ctx.definition().input(port(prefix, i)).isPresent(); i++) {
            var shard = ctx.optionalInput(port(prefix, i));
            if (shard.isEmpty()) {
                break;
            }
            given.add(shard.get());
        }
        for (int j = i + 1; ctx.definition().input(port(prefix, j)).isPresent(); j++) {
            if (ctx.optionalInput(port(prefix, j)).isPresent()) {
                throw new IllegalArgumentException("input " + port(prefix, j) + " is given but " + port(prefix, i)
                        + " is not: shards must be numbered from 0 without gaps");
            }
        }
        return given;
    }
}
