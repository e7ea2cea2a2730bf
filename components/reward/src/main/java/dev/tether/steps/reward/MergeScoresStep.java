package dev.tether.steps.reward;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.core.formats.SequenceScores;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.Sharding;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import java.io.IOException;
import java.util.List;

/**
 * Merges the scores shards of a fan-out (reward run once per rollout shard) into one scores
 * artifact aligned row by row with merge-rollout's merged rollout, and recorded as made from it, as
 * reward's scores of an unsharded rollout are (ppo-update checks that). It reads the rollout shards
 * too: both lists come in shard order ({@link Sharding#open}, the order merge-rollout follows), and
 * each scores shard must have been made from the rollout shard of its index, with one score per
 * sample, and the merged rollout must hold as many samples as the shards, or the scores would be
 * credited to other samples' responses.
 */
public final class MergeScoresStep implements Step {
    /** The merged rollout (merge-rollout's output) the merged scores are for. */
    public static final String ROLLOUT = "rollout";
    /** The rollout shards the scores were made from, as merge-rollout reads them. */
    public static final String ROLLOUTS = "rollouts";
    /** The scores shards, one per rollout shard. */
    public static final String SHARD_SCORES = "shard_scores";

    public static final StepDefinition DEFINITION = StepDefinition.builder("merge-scores")
            .description("Merge scores shards into one scores artifact (in shard order, aligned with the merged rollout).")
            .input(ArtifactPort.of(ROLLOUT, Schemas.ROLLOUT, ArtifactKind.DATASET, "The merged rollout the scores are for."))
            .input(ArtifactPort.of(ROLLOUTS, Schemas.ROLLOUT, ArtifactKind.DATASET, "The rollout shards the scores were made from.").asShards())
            .input(ArtifactPort.of(SHARD_SCORES, Schemas.SCORES, ArtifactKind.DATASET, "The scores shards, one per rollout shard.").asShards())
            .output(ArtifactPort.of("scores", Schemas.SCORES, ArtifactKind.DATASET, "All shards' scores, one per merged sample."))
            .build();

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) throws IOException {
        List<ArtifactReader> rollouts = ctx.shards(ROLLOUTS);
        List<ArtifactReader> scores = ctx.shards(SHARD_SCORES);
        if (rollouts.size() != scores.size()) {
            throw new ArtifactException("input " + SHARD_SCORES + ": " + scores.size() + " scores shards (" + scores.get(0).dir().getParent()
                    + ") for " + rollouts.size() + " rollout shards (" + rollouts.get(0).dir().getParent() + "); expected one per rollout shard");
        }
        ArtifactReader merged = ctx.input(ROLLOUT);
        int total = 0;
        float[][] parts = new float[scores.size()][];
        for (int k = 0; k < scores.size(); k++) {
            ArtifactReader rollout = rollouts.get(k);
            ArtifactReader shard = scores.get(k);
            String madeFrom = shard.inputs().get("rollout");
            if (!rollout.digest().equals(madeFrom)) {
                throw new ArtifactException("input " + SHARD_SCORES + ": " + shard.dir() + " (scores shard " + k + ") was made from rollout " + madeFrom
                        + ", not from rollout shard " + k + " (" + rollout.dir() + ", " + rollout.digest() + ")");
            }
            int samples;
            try (SafetensorsFile f = rollout.safetensors(RolloutBatch.FILE_NAME)) {
                samples = RolloutBatch.read(f).batch();
            }
            try (SafetensorsFile f = shard.safetensors(SequenceScores.SCORES_FILE)) {
                // A missing tensor or one of another rank is readScores' to report; a count that
                // disagrees is the merge's, naming both shards.
                long[] shape = f.contains(SequenceScores.SCORES) ? f.shape(SequenceScores.SCORES) : new long[0];
                if (shape.length == 1 && shape[0] != samples) {
                    throw new ArtifactException("input " + SHARD_SCORES + ": " + f.path() + " (scores shard " + k + ") has " + shape[0]
                            + " scores but rollout shard " + k + " (" + rollout.dir() + ") has " + samples + " samples; expected one score per sample");
                }
                parts[k] = SequenceScores.readScores(f, samples);
            }
            total += samples;
        }
        int mergedSamples;
        try (SafetensorsFile f = merged.safetensors(RolloutBatch.FILE_NAME)) {
            mergedSamples = RolloutBatch.read(f).batch();
        }
        if (mergedSamples != total) {
            throw new ArtifactException("input " + ROLLOUT + ": " + merged.dir() + " has " + mergedSamples + " samples but its " + rollouts.size()
                    + " rollout shards (" + rollouts.get(0).dir().getParent() + ") have " + total + "; expected the merge of those shards");
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        try (ArtifactWriter w = ctx.writer("scores")) {
            w.writeSafetensors(SequenceScores.SCORES_FILE, List.of(SequenceScores.scores(all)));
            w.commit();
        }
    }
}
