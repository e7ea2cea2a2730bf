package dev.tether.pipeline.defs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.formats.Schemas;
import dev.tether.pipeline.ArtifactSource;
import dev.tether.pipeline.ParameterSource;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.PipelineCatalog;
import dev.tether.pipeline.Task;
import dev.tether.pipeline.local.LocalRunner;
import dev.tether.pipeline.local.RunReport;
import dev.tether.step.StepCatalog;
import dev.tether.steps.ppo.TinyRlhfFixtures;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The product pipeline, built from the steps' definitions and run here on a tiny model. */
class RlhfPpoPipelineTest {
    @TempDir
    Path tmp;

    @Test
    void shapeIsRolloutAndRewardShardsMergedThenReferenceThenUpdatePerIteration() {
        Pipeline p = new RlhfPpoPipeline(2, 3).pipeline();
        assertThat(p.tasks()).extracting(Task::name).containsExactly(
                "rollout-0", "reward-0", "merge-rollout-0", "merge-scores-0", "reference-0", "ppo-update-0",
                "rollout-1", "reward-1", "merge-rollout-1", "merge-scores-1", "reference-1", "ppo-update-1");
        // The shard count is the run's: a parameter with the constructor's default, read by every rollout's loop.
        assertThat(p.parameter("num_shards").orElseThrow().defaultValue()).isEqualTo("3");
        assertThat(p.task("rollout-1").orElseThrow().shards()).isEqualTo(ParameterSource.pipelineParameter("num_shards"));
        assertThat(p.task("merge-rollout-1").orElseThrow().inputs())
                .containsExactly(Map.entry("rollouts", new ArtifactSource.Shards("rollout-1", "rollout")));
        // Reward scores each shard inside the rollout's loop; both are merged in shard order.
        assertThat(p.task("reward-1").orElseThrow().shards()).isEqualTo(ParameterSource.pipelineParameter("num_shards"));
        assertThat(p.task("reward-1").orElseThrow().inputs()).containsEntry("rollout", new ArtifactSource.SameShard("rollout-1", "rollout"));
        assertThat(p.loopBody("rollout-1")).extracting(Task::name).containsExactly("rollout-1", "reward-1");
        assertThat(p.task("merge-scores-1").orElseThrow().inputs()).containsExactly(
                Map.entry("rollout", new ArtifactSource.TaskOutput("merge-rollout-1", "rollout")),
                Map.entry("rollouts", new ArtifactSource.Shards("rollout-1", "rollout")),
                Map.entry("shard_scores", new ArtifactSource.Shards("reward-1", "scores")));
        assertThat(p.task("ppo-update-1").orElseThrow().dependencies())
                .containsExactlyInAnyOrder("ppo-update-0", "merge-rollout-1", "merge-scores-1", "reference-1");
        assertThat(PipelineCatalog.load().names()).contains(RlhfPpoPipeline.NAME);
    }

    @Test
    void runsLocallyAndResumes() throws Exception {
        Path policy = TinyRlhfFixtures.policy(tmp.resolve("policy"));
        Map<String, Path> inputs = Map.of("policy", policy, "prompts", TinyRlhfFixtures.prompts(tmp.resolve("prompts"), 8),
                "reward_model", TinyRlhfFixtures.rewardModel(tmp.resolve("rm")), "reference_policy", policy);
        Map<String, String> params = Map.of("max_new_tokens", "6", "samples_per_prompt", "2", "learning_rate", "0.01", "kl_target", "1");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        LocalRunner runner = LocalRunner.inProcess(StepCatalog.load(), tmp.resolve("runs"), quiet, quiet, false);
        Pipeline pipeline = new RlhfPpoPipeline(2, 2).pipeline();

        RunReport first = runner.run(pipeline, "r", params, inputs);
        assertThat(first.exitCode()).as("%s", first.failure()).isZero();
        ArtifactReader last = ArtifactReader.open(tmp.resolve("runs/r/ppo-update-1/updated_policy"), Schemas.POLICY, 1);
        assertThat(last.input("policy")).isEqualTo(ArtifactReader.open(tmp.resolve("runs/r/ppo-update-0/updated_policy"), Schemas.POLICY, 1).digest());

        RunReport again = runner.run(pipeline, "r", params, inputs);
        assertThat(again.ran()).as("a second run is all cached").isEmpty();

        // Three shards instead of two: each rollout runs three times, its merge and what follows run again.
        Map<String, String> three = new java.util.HashMap<>(params);
        three.put("num_shards", "3");
        RunReport resharded = runner.run(pipeline, "r", three, inputs);
        assertThat(resharded.exitCode()).as("%s", resharded.failure()).isZero();
        assertThat(resharded.ran()).contains("rollout-0/shard-2", "reward-0/shard-2", "merge-rollout-0", "merge-scores-0", "ppo-update-0",
                "rollout-1/shard-2");
        assertThat(tmp.resolve("runs/r/rollout-0/rollout/shard-2")).isDirectory();
        assertThat(ArtifactReader.open(tmp.resolve("runs/r/merge-rollout-0/rollout"), Schemas.ROLLOUT, 1).manifest().inputs())
                .containsOnlyKeys("rollouts/shard-0", "rollouts/shard-1", "rollouts/shard-2");
        assertThat(ArtifactReader.open(tmp.resolve("runs/r/merge-scores-0/scores"), Schemas.SCORES, 1).manifest().inputs())
                .containsOnlyKeys("rollout", "rollouts/shard-0", "rollouts/shard-1", "rollouts/shard-2", "shard_scores/shard-0",
                        "shard_scores/shard-1", "shard_scores/shard-2");
    }
}
