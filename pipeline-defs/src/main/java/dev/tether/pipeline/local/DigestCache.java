package dev.tether.pipeline.local;

import dev.tether.core.artifact.ArtifactReader;
import dev.tether.step.ArtifactPort;
import java.nio.file.Path;
import dev.tether.step.Sharding;
import dev.tether.step.StepDefinition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Artifacts opened and verified at most once per run: an artifact is hashed when its producer's
 * outputs are checked and again by every consumer's check, and a policy checkpoint is hundreds of
 * megabytes. Entries under a task's folder are dropped when that task runs again.
 */
final class DigestCache {
    private final Map<Path, ArtifactReader> opened = new HashMap<>();

    /** {@code dir} opened as a {@code port} artifact, every file's hash verified. */
    ArtifactReader open(Path dir, ArtifactPort port) {
        return opened.computeIfAbsent(dir.toAbsolutePath().normalize(),
                key -> ArtifactReader.open(key, port.schema(), port.schemaVersion(), true));
    }

    String digest(Path dir, ArtifactPort port) {
        return open(dir, port).digest();
    }

    /**
     * The digests a step records for its inputs (see {@code StepContext.writer}): input → digest,
     * and for an input of shards, {@code <input>/shard-<k>} → digest of shard k.
     */
    Map<String, String> inputDigests(StepDefinition step, Map<String, Path> inputs) {
        Map<String, String> out = new LinkedHashMap<>();
        inputs.forEach((name, dir) -> {
            ArtifactPort port = step.input(name).orElseThrow();
            if (port.shards()) {
                List<ArtifactReader> shards = Sharding.open(dir, port);
                for (int i = 0; i < shards.size(); i++) {
                    out.put(Sharding.provenanceName(name, i), shards.get(i).digest());
                }
            } else {
                out.put(name, digest(dir, port));
            }
        });
        return out;
    }

    void forgetUnder(Path dir) {
        Path prefix = dir.toAbsolutePath().normalize();
        opened.keySet().removeIf(p -> p.startsWith(prefix));
    }
}
