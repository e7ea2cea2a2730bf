package dev.tether.steps.reward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.core.formats.SequenceScores;
import dev.tether.step.ExitCode;
import dev.tether.step.StepCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** merge-scores on hand-made shards: the order the manifests give, and each way shards can fail to line up. */
class MergeScoresStepTest {
    @TempDir
    Path tmp;

    record Run(int code, String err) {}

    @Test
    void mergesInShardOrderRecordingEveryShard() throws Exception {
        // Named so that listing order is the reverse of shard order: the merge follows the manifests.
        String r0 = rollout(tmp.resolve("rollouts/z"), 0, 2, 2);
        String r1 = rollout(tmp.resolve("rollouts/a"), 1, 2, 3);
        scores(tmp.resolve("scores/z"), 0, 2, r0, 1f, 2f);
        scores(tmp.resolve("scores/a"), 1, 2, r1, 3f, 4f, 5f);

        String all = rollout(tmp.resolve("rollout"), 0, 1, 5);

        Run ok = merge(tmp.resolve("scores"), tmp.resolve("merged"));

        assertThat(ok.code()).as(ok.err()).isZero();
        ArtifactReader merged = ArtifactReader.open(tmp.resolve("merged"), Schemas.SCORES, 1);
        try (SafetensorsFile f = merged.safetensors(SequenceScores.SCORES_FILE)) {
            assertThat(SequenceScores.readScores(f, 5)).containsExactly(1f, 2f, 3f, 4f, 5f);
        }
        // Made from the merged rollout, as ppo-update expects scores to be.
        assertThat(merged.inputs()).containsEntry("rollout", all).containsEntry("rollouts/shard-0", r0).containsEntry("rollouts/shard-1", r1)
                .containsKeys("shard_scores/shard-0", "shard_scores/shard-1");
    }

    @Test
    void aMissingScoresShardIsBadInputNamingTheDirectory() throws Exception {
        String r0 = rollout(tmp.resolve("rollouts/shard-0"), 0, 2, 2);
        rollout(tmp.resolve("rollouts/shard-1"), 1, 2, 2);
        scores(tmp.resolve("scores/shard-0"), 0, 2, r0, 1f, 2f);

        Run missing = merge(tmp.resolve("scores"), tmp.resolve("merged"));

        assertThat(missing.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(missing.err()).contains(tmp.resolve("scores").toString()).contains("shard 1 of 2 is missing");
    }

    @Test
    void scoresOfAnotherShardAreRefused() throws Exception {
        String r0 = rollout(tmp.resolve("rollouts/shard-0"), 0, 2, 2);
        String r1 = rollout(tmp.resolve("rollouts/shard-1"), 1, 2, 2);
        // Labelled in swapped order: the row counts agree, only the provenance tells.
        scores(tmp.resolve("scores/shard-0"), 0, 2, r1, 1f, 2f);
        scores(tmp.resolve("scores/shard-1"), 1, 2, r0, 3f, 4f);

        Run swapped = merge(tmp.resolve("scores"), tmp.resolve("merged"));

        assertThat(swapped.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(swapped.err()).contains(tmp.resolve("scores/shard-0").toString()).contains("scores shard 0")
                .contains("not from rollout shard 0");
    }

    @Test
    void aRowCountMismatchNamesTheShard() throws Exception {
        String r0 = rollout(tmp.resolve("rollouts/shard-0"), 0, 2, 2);
        String r1 = rollout(tmp.resolve("rollouts/shard-1"), 1, 2, 3);
        scores(tmp.resolve("scores/shard-0"), 0, 2, r0, 1f, 2f);
        scores(tmp.resolve("scores/shard-1"), 1, 2, r1, 3f, 4f);

        Run short_ = merge(tmp.resolve("scores"), tmp.resolve("merged"));

        assertThat(short_.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(short_.err()).contains(tmp.resolve("scores/shard-1").toString()).contains("has 2 scores but rollout shard 1")
                .contains("has 3 samples");
    }

    @Test
    void scoresOfAnotherFanOutAreRefused() throws Exception {
        String r0 = rollout(tmp.resolve("rollouts/shard-0"), 0, 2, 2);
        rollout(tmp.resolve("rollouts/shard-1"), 1, 2, 2);
        scores(tmp.resolve("scores/shard-0"), 0, 1, r0, 1f, 2f);

        Run fewer = merge(tmp.resolve("scores"), tmp.resolve("merged"));

        assertThat(fewer.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(fewer.err()).contains("1 scores shards (" + tmp.resolve("scores") + ") for 2 rollout shards");
    }

    @Test
    void aMergedRolloutOfOtherShardsIsRefused() throws Exception {
        String r0 = rollout(tmp.resolve("rollouts/shard-0"), 0, 2, 2);
        String r1 = rollout(tmp.resolve("rollouts/shard-1"), 1, 2, 2);
        scores(tmp.resolve("scores/shard-0"), 0, 2, r0, 1f, 2f);
        scores(tmp.resolve("scores/shard-1"), 1, 2, r1, 3f, 4f);
        rollout(tmp.resolve("rollout"), 0, 1, 3);

        Run other = merge(tmp.resolve("scores"), tmp.resolve("merged"));

        assertThat(other.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(other.err()).contains(tmp.resolve("rollout").toString()).contains("has 3 samples but its 2 rollout shards");
    }

    @Test
    void aShardGivenTwiceIsRefused() throws Exception {
        String r0 = rollout(tmp.resolve("rollouts/shard-0"), 0, 2, 2);
        rollout(tmp.resolve("rollouts/shard-1"), 1, 2, 2);
        scores(tmp.resolve("scores/shard-0"), 0, 2, r0, 1f, 2f);
        scores(tmp.resolve("scores/shard-1"), 0, 2, r0, 1f, 2f);

        Run twice = merge(tmp.resolve("scores"), tmp.resolve("merged"));

        assertThat(twice.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(twice.err()).contains("input shard_scores").contains("are both shard 0");
    }

    /** merge-scores over tmp's rollouts/ and merged rollout/ (a 4-sample one where a test made none). */
    private Run merge(Path scores, Path out) {
        if (!Files.exists(tmp.resolve("rollout"))) {
            rollout(tmp.resolve("rollout"), 0, 1, 4);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StepCli.execute(new MergeScoresStep(), new String[] {"--rollout", tmp.resolve("rollout").toString(), "--rollouts", tmp.resolve("rollouts").toString(), "--shard_scores",
                scores.toString(), "--scores", out.toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    /** A rollout shard of {@code batch} one-token samples of prompt {@code shard}; returns its digest. */
    private static String rollout(Path dir, int shard, int of, int batch) {
        int[] ones = new int[batch];
        Arrays.fill(ones, 1);
        int[] prompt = new int[batch];
        Arrays.fill(prompt, shard);
        RolloutBatch r = new RolloutBatch(batch, 1, 1, ones, ones, ones, ones, new float[batch], new float[batch], prompt);
        try (ArtifactWriter w = ArtifactWriter.create(dir, Schemas.ROLLOUT, 1, "rollout")) {
            w.writeSafetensors(RolloutBatch.FILE_NAME, r.toTensors());
            w.writeText(RolloutBatch.TEXT_FILE_NAME, "");
            w.parameters(Map.of("shard_index", shard, "num_shards", of));
            w.commit();
        }
        return ArtifactReader.open(dir, Schemas.ROLLOUT, 1).digest();
    }

    private static void scores(Path dir, int shard, int of, String rollout, float... values) {
        try (ArtifactWriter w = ArtifactWriter.create(dir, Schemas.SCORES, 1, "reward")) {
            w.writeSafetensors(SequenceScores.SCORES_FILE, List.of(SequenceScores.scores(values)));
            w.input("rollout", rollout);
            w.parameters(Map.of("shard_index", shard, "num_shards", of));
            w.commit();
        }
    }
}
