package dev.tether.models.checkpoint;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A {@code tether.policy} artifact: a checkpoint folder in the Hugging Face layout (the policy, with
 * its value head when the critic shares its trunk) and, when the critic is a separate model, that
 * critic as a second checkpoint in {@code critic/}. Keeping both in one artifact means a pipeline
 * passes one thing from update to update, and the pair can never come from different iterations.
 */
public final class PolicyArtifact {
    /** The separate critic's folder inside the policy artifact. */
    public static final String CRITIC_DIR = "critic";

    private PolicyArtifact() {}

    /** The policy checkpoint (the artifact's top level). */
    public static Checkpoint readPolicy(Path dir, NDManager manager) {
        return CheckpointReader.read(dir, manager);
    }

    public static boolean hasSeparateCritic(Path dir) {
        return Files.isRegularFile(dir.resolve(CRITIC_DIR).resolve(CheckpointReader.CONFIG));
    }

    /** The separate critic, if the artifact has one; it must carry a value head. */
    public static Optional<Checkpoint> readCritic(Path dir, NDManager manager) {
        if (!hasSeparateCritic(dir)) {
            return Optional.empty();
        }
        Checkpoint critic = CheckpointReader.read(dir.resolve(CRITIC_DIR), manager);
        if (critic.valueHead().isEmpty()) {
            critic.close();
            throw new dev.tether.core.artifact.ArtifactException(dir.resolve(CRITIC_DIR) + ": a critic needs "
                    + CheckpointReader.VALUE_HEAD + " (found a checkpoint without a value head)");
        }
        return Optional.of(critic);
    }

    /** Writes the policy (and the critic, if any) into {@code dir}, an artifact writer's unpublished folder. */
    public static void write(Path dir, Checkpoint policy, Optional<Checkpoint> critic) {
        CheckpointWriter.writeFiles(dir, policy);
        if (critic.isPresent()) {
            Path c = dir.resolve(CRITIC_DIR);
            try {
                Files.createDirectories(c);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(c + ": cannot create", e);
            }
            CheckpointWriter.writeFiles(c, critic.get());
        }
    }
}
