package dev.tether.steps.ppo;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.SafetensorsFile;

/** The sampling facts a rollout carries in its safetensors metadata, which the update must reuse. */
final class RolloutMetadata {
    private RolloutMetadata() {}

    /** The temperature the rollout was sampled at: log-probs are recomputed under the same scaling. */
    static float temperature(SafetensorsFile f) {
        return (float) number(f, "temperature");
    }

    static long eosTokenId(SafetensorsFile f) {
        return (long) number(f, "eos_token_id");
    }

    private static double number(SafetensorsFile f, String key) {
        String v = f.metadata().get(key);
        if (v == null) {
            throw new ArtifactException(f.path() + ": metadata " + key + " missing (the rollout step records it)");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ArtifactException(f.path() + ": metadata " + key + ": expected a number, found '" + v + "'");
        }
    }
}
