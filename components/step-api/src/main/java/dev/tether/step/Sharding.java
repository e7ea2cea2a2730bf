package dev.tether.step;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The convention that lets a pipeline fan a step out over shards and merge the results, shared by
 * the steps (which declare it) and the pipeline model (which wires it):
 * <ul>
 *   <li>a sharded step declares INT parameters {@value #SHARD_INDEX} and {@value #NUM_SHARDS}
 *       ({@link #parameters()}) and works on its share of the rows; both are recorded in its
 *       outputs' manifests, as every parameter is;</li>
 *   <li>a merge step declares one input {@link ArtifactPort#asShards() as shards}: a directory
 *       holding one artifact per shard, in subdirectories of any name (the engines name them:
 *       {@code shard-<k>} locally and in Argo, one per URI in KFP). Their order is the
 *       {@value #SHARD_INDEX} their manifests record, so it does not depend on how an engine
 *       lists or names them.</li>
 * </ul>
 * One list-valued input, not a port per shard, is what lets the shard count be a run-time value:
 * KFP's {@code dsl.Collected}, an Argo key prefix, a folder of the local runner.
 */
public final class Sharding {
    public static final String SHARD_INDEX = "shard_index";
    public static final String NUM_SHARDS = "num_shards";
    /** The subdirectory of a shards directory that holds shard {@code k}: {@code shard-<k>}. */
    public static final String SHARD_DIR_PREFIX = "shard-";

    private Sharding() {}

    /** The two parameters a sharded step declares; unsharded, it is shard 0 of 1. */
    public static List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.optional(SHARD_INDEX, ParamType.INT, "0", "Which shard this task works on, from 0."),
                ParameterSpec.optional(NUM_SHARDS, ParamType.INT, "1", "How many shards the work is split into."));
    }

    /** Where shard {@code index} goes in a shards directory. */
    public static String shardDir(long index) {
        return SHARD_DIR_PREFIX + index;
    }

    /**
     * Opens the shards in {@code dir} for input {@code port}, in shard order, each verified against
     * the port's schema.
     *
     * @throws ArtifactException naming the directory or shard at fault: not a directory, no shards,
     *     an entry that is not an artifact of the schema, a manifest without
     *     {@value #SHARD_INDEX}/{@value #NUM_SHARDS}, shards that disagree on the count, a shard
     *     index given twice or missing
     */
    public static List<ArtifactReader> open(Path dir, ArtifactPort port) {
        String expected = "a directory of " + port.schema() + " shard artifacts (" + shardDir(0) + "/, " + shardDir(1) + "/, …)";
        if (!Files.isDirectory(dir)) {
            throw new ArtifactException("input " + port.name() + ": " + dir + " is not a directory (expected " + expected + ")");
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            throw new ArtifactException("input " + port.name() + ": " + dir + ": cannot list: " + e, e);
        }
        if (entries.isEmpty()) {
            throw new ArtifactException("input " + port.name() + ": " + dir + " is empty (expected " + expected + ")");
        }
        TreeMap<Long, ArtifactReader> byIndex = new TreeMap<>();
        Long count = null;
        Path countFrom = null;
        for (Path entry : entries) {
            if (!Files.isDirectory(entry)) {
                throw new ArtifactException("input " + port.name() + ": " + entry + " is not a directory (expected " + expected + ")");
            }
            // A link (how KFP's shards arrive, see StepCli) is opened where it points: an artifact holds no links.
            ArtifactReader shard = ArtifactReader.open(real(entry, port), port.schema(), port.schemaVersion());
            long index = recorded(shard, SHARD_INDEX, port);
            long of = recorded(shard, NUM_SHARDS, port);
            if (count == null) {
                count = of;
                countFrom = entry;
            } else if (count != of) {
                throw new ArtifactException("input " + port.name() + ": " + entry + " is a shard of " + of + " but " + countFrom + " is a shard of "
                        + count + "; shards of one fan-out agree on " + NUM_SHARDS);
            }
            ArtifactReader before = byIndex.put(index, shard);
            if (before != null) {
                throw new ArtifactException("input " + port.name() + ": " + entry + " and " + before.dir() + " are both shard " + index);
            }
        }
        for (long k = 0; k < count; k++) {
            if (!byIndex.containsKey(k)) {
                throw new ArtifactException("input " + port.name() + ": " + dir + ": shard " + k + " of " + count + " is missing; found shards "
                        + byIndex.keySet());
            }
        }
        if (byIndex.lastKey() >= count) {
            throw new ArtifactException("input " + port.name() + ": " + byIndex.get(byIndex.lastKey()).dir() + " is shard " + byIndex.lastKey()
                    + " of " + count + "; expected 0 ≤ " + SHARD_INDEX + " < " + NUM_SHARDS);
        }
        return List.copyOf(byIndex.values());
    }

    private static Path real(Path entry, ArtifactPort port) {
        try {
            return entry.toRealPath();
        } catch (IOException e) {
            throw new ArtifactException("input " + port.name() + ": " + entry + ": cannot resolve: " + e, e);
        }
    }

    private static long recorded(ArtifactReader shard, String parameter, ArtifactPort port) {
        Map<String, Object> params = shard.manifest().parameters();
        if (!(params.get(parameter) instanceof Number n)) {
            throw new ArtifactException("input " + port.name() + ": " + shard.dir() + ": its manifest records no " + parameter
                    + " parameter; a shard is made by a step that declares Sharding.parameters()");
        }
        return n.longValue();
    }

    /** The digest a shards input is recorded under, per shard: {@code <port>/shard-<k>}. */
    public static String provenanceName(String port, int index) {
        return port + "/" + shardDir(index);
    }
}
