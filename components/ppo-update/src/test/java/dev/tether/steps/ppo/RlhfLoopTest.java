package dev.tether.steps.ppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.formats.PromptsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.core.formats.SequenceScores;
import dev.tether.core.outputs.MetricsJson;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.onnx.BagOfWordsGraph;
import dev.tether.step.Step;
import dev.tether.step.StepCli;
import dev.tether.steps.reference.ReferenceStep;
import dev.tether.steps.reward.RewardConfig;
import dev.tether.steps.reward.RewardStep;
import dev.tether.steps.rollout.MergeRolloutStep;
import dev.tether.steps.rollout.RolloutStep;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RLHF loop through the steps' own command lines, on a tiny random GPT-2: rollout → reward
 * (ONNX bag of words) → reference (the starting policy on ONNX Runtime) → ppo-update, repeated.
 * The reward pays for token 5 and charges for token 6, so the policy has something to learn.
 */
class RlhfLoopTest {
    @TempDir
    Path tmp;

    private Path policy0;
    private Path prompts;
    private Path rewardModel;

    private record Run(int exit, String err) {}

    private static Run step(Step step, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StepCli.execute(step, args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    private static void ok(Run r) {
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @BeforeEach
    void fixtures() throws Exception {
        policy0 = TinyRlhfFixtures.policy(tmp.resolve("policy0"));
        prompts = TinyRlhfFixtures.prompts(tmp.resolve("prompts"), 8);
        rewardModel = TinyRlhfFixtures.rewardModel(tmp.resolve("reward-model"));
    }

    private Path iteration(int i, Path policy, String... ppoArgs) {
        Path it = tmp.resolve("it" + i);
        ok(step(new RolloutStep(), "--policy", policy.toString(), "--prompts", prompts.toString(), "--rollout", it.resolve("rollout").toString(),
                "--max_new_tokens", "8", "--samples_per_prompt", "4", "--seed", Integer.toString(i)));
        ok(step(new RewardStep(), "--rollout", it.resolve("rollout").toString(), "--reward_model", rewardModel.toString(), "--scores", it.resolve("scores").toString()));
        ok(step(new ReferenceStep(), "--rollout", it.resolve("rollout").toString(), "--reference_policy", policy0.toString(), "--ref_logprobs", it.resolve("ref").toString()));
        List<String> args = new ArrayList<>(List.of("--policy", policy.toString(), "--rollout", it.resolve("rollout").toString(),
                "--scores", it.resolve("scores").toString(), "--ref_logprobs", it.resolve("ref").toString(),
                "--updated_policy", it.resolve("policy").toString(), "--argo-outputs", it.resolve("argo").toString(),
                "--learning_rate", "0.005", "--beta", "0.1", "--kl_target", "2", "--kl_horizon", "64", "--seed", "5"));
        args.addAll(List.of(ppoArgs));
        Run r = step(new PpoUpdateStep(), args.toArray(String[]::new));
        ok(r);
        return it.resolve("policy");
    }

    @Test
    void theLoopLearnsTheRewardAndCarriesBeta() throws Exception {
        Path policy = policy0;
        List<Double> scores = new ArrayList<>();
        List<Double> betas = new ArrayList<>();
        List<Double> kls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            policy = iteration(i, policy);
            Path it = tmp.resolve("it" + i);
            scores.add(Double.parseDouble(Files.readString(it.resolve("argo/reward"))));
            betas.add(Double.parseDouble(Files.readString(it.resolve("argo/beta"))));
            kls.add(Double.parseDouble(Files.readString(it.resolve("argo/kl"))));
        }
        // Iteration 0 samples from the reference itself: sampled and reference log-probs agree (PyTorch vs ONNX Runtime).
        assertThat(kls.get(0)).isCloseTo(0.0, within(1e-4));
        // β: adaptive, KL 0 against a target of 2 → e = −0.2, n = 32 samples, horizon 64 → β·0.9.
        assertThat(betas.get(0)).isCloseTo(0.1 * (1 - 0.2 * 32 / 64.0), within(1e-9));
        // The policy learns: the last iterations score clearly higher than the first, and KL grows.
        double first = (scores.get(0) + scores.get(1)) / 2;
        double last = (scores.get(6) + scores.get(7)) / 2;
        assertThat(last).as("mean score, first vs last iterations: %s", scores).isGreaterThan(first + 0.3);
        assertThat(kls.get(7)).isGreaterThan(0.05);
        // β and the iteration travel in the checkpoint.
        try (NDManager nd = NDManager.newBaseManager(); Checkpoint c = CheckpointReader.read(policy, nd)) {
            assertThat(c.trainerState().orElseThrow().iteration()).isEqualTo(8);
            assertThat(c.trainerState().orElseThrow().beta().at("/controller/beta").asDouble()).isEqualTo(betas.get(7));
            assertThat(c.optimizer()).isPresent();
            var log = c.trainerState().orElseThrow().beta().get("log");
            assertThat(log.size()).isEqualTo(8);
            assertThat(log.get(3).get("beta").asDouble()).isEqualTo(betas.get(2));
            assertThat(log.get(7).get("kl_seq").asDouble()).isCloseTo(kls.get(7), within(1e-12));
        }
        ArtifactReader last8 = ArtifactReader.open(tmp.resolve("it7/policy"), Schemas.POLICY, 1);
        assertThat(last8.inputs()).containsKeys("policy", "rollout", "scores", "ref_logprobs");
    }

    @Test
    void criticWarmupMovesOnlyTheCriticAndSharedCriticWorks() throws Exception {
        Path warm = iteration(0, policy0, "--critic_warmup", "1");
        assertThat(warm.resolve(PolicyArtifact.CRITIC_DIR).resolve("value_head.safetensors")).exists();
        try (NDManager nd = NDManager.newBaseManager();
                Checkpoint before = CheckpointReader.read(policy0, nd);
                Checkpoint after = CheckpointReader.read(warm, nd)) {
            before.model().parameters().asMap().forEach((name, w) -> assertThat(after.model().parameters().get(name).toFloatArray())
                    .as("policy weight %s untouched during warm-up", name).containsExactly(w.toFloatArray()));
            assertThat(after.trainerState().orElseThrow().beta().at("/controller/beta").asDouble()).as("β untouched").isEqualTo(0.1);
            assertThat(after.valueHead()).as("a separate critic keeps the value head out of the policy").isEmpty();
        }
        try (NDManager nd = NDManager.newBaseManager(); Checkpoint critic = PolicyArtifact.readCritic(warm, nd).orElseThrow()) {
            float[] v = critic.valueHead().orElseThrow().parameters().get("v_head.summary.weight").toFloatArray();
            float moved = 0;
            for (float x : v) {
                moved += Math.abs(x);
            }
            assertThat(moved).as("the critic's zero-initialised head learned something").isGreaterThan(0f);
        }

        Path sharedPolicy = iteration(1, policy0, "--critic", "shared");
        assertThat(sharedPolicy.resolve(PolicyArtifact.CRITIC_DIR)).doesNotExist();
        assertThat(sharedPolicy.resolve("value_head.safetensors")).exists();
        // A run that started shared cannot silently switch to a separate critic.
        Path it = tmp.resolve("it1");
        Run mixed = step(new PpoUpdateStep(), "--policy", sharedPolicy.toString(), "--rollout", it.resolve("rollout").toString(),
                "--scores", it.resolve("scores").toString(), "--ref_logprobs", it.resolve("ref").toString(), "--updated_policy", tmp.resolve("x").toString());
        assertThat(mixed.exit()).isEqualTo(2);
        assertThat(mixed.err()).contains("--critic shared");
    }

    @Test
    void shardsSampleTheirShareAndMergeBackInShardOrder() throws Exception {
        Path it = tmp.resolve("shards");
        // Named so that listing order is the reverse of shard order: the merge follows the manifests.
        String[] dirs = {"rollouts/z", "rollouts/a"};
        for (int shard = 0; shard < 2; shard++) {
            ok(step(new RolloutStep(), "--policy", policy0.toString(), "--prompts", prompts.toString(), "--rollout", it.resolve(dirs[shard]).toString(),
                    "--max_new_tokens", "6", "--num_shards", "2", "--shard_index", Integer.toString(shard), "--samples_per_prompt", "2"));
        }
        ok(step(new MergeRolloutStep(), "--rollouts", it.resolve("rollouts").toString(), "--rollout", it.resolve("merged").toString()));
        try (SafetensorsFile f = ArtifactReader.open(it.resolve("merged"), Schemas.ROLLOUT, 1).safetensors(RolloutBatch.FILE_NAME)) {
            RolloutBatch merged = RolloutBatch.read(f);
            // 8 prompts, 2 samples each; shard 0 holds prompts 0, 2, 4, 6 and shard 1 the odd ones.
            assertThat(merged.promptIndex()).containsExactly(0, 0, 2, 2, 4, 4, 6, 6, 1, 1, 3, 3, 5, 5, 7, 7);
            assertThat(f.metadata()).containsEntry("merged_shards", "2").containsEntry("temperature", "1.0");
        }
        assertThat(Files.readAllLines(it.resolve("merged/rollout.jsonl"))).hasSize(16);

        Path missing = it.resolve("missing");
        copyDir(it.resolve("rollouts/a"), missing.resolve("shard-1"));
        Run gap = step(new MergeRolloutStep(), "--rollouts", missing.toString(), "--rollout", it.resolve("gap").toString());
        assertThat(gap.exit()).isEqualTo(2);
        assertThat(gap.err()).contains(missing.toString()).contains("shard 0 of 2 is missing");

        Path twice = it.resolve("twice");
        copyDir(it.resolve("rollouts/z"), twice.resolve("shard-0"));
        copyDir(it.resolve("rollouts/z"), twice.resolve("shard-1"));
        Run duplicate = step(new MergeRolloutStep(), "--rollouts", twice.toString(), "--rollout", it.resolve("dup").toString());
        assertThat(duplicate.exit()).isEqualTo(2);
        assertThat(duplicate.err()).contains(twice.resolve("shard-1").toString()).contains("are both shard 0");

        Path stray = it.resolve("stray");
        copyDir(it.resolve("rollouts/z"), stray.resolve("shard-0"));
        Files.createDirectories(stray.resolve("notes"));
        Run notArtifact = step(new MergeRolloutStep(), "--rollouts", stray.toString(), "--rollout", it.resolve("stray-out").toString());
        assertThat(notArtifact.exit()).isEqualTo(2);
        assertThat(notArtifact.err()).contains(stray.resolve("notes").toString());

        Files.createDirectories(it.resolve("empty"));
        Run empty = step(new MergeRolloutStep(), "--rollouts", it.resolve("empty").toString(), "--rollout", it.resolve("empty-out").toString());
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains(it.resolve("empty") + " is empty");
    }

    private static void copyDir(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to.getParent());
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
    }

    @Test
    void onnxAndPytorchReferencesAgree() throws Exception {
        Path it = tmp.resolve("cmp");
        ok(step(new RolloutStep(), "--policy", policy0.toString(), "--prompts", prompts.toString(), "--rollout", it.resolve("rollout").toString(), "--max_new_tokens", "8"));
        ok(step(new ReferenceStep(), "--rollout", it.resolve("rollout").toString(), "--reference_policy", policy0.toString(), "--ref_logprobs", it.resolve("onnx").toString()));
        ok(step(new ReferenceStep(), "--rollout", it.resolve("rollout").toString(), "--reference_policy", policy0.toString(), "--ref_logprobs", it.resolve("pt").toString(), "--engine", "pytorch"));
        float[] onnx;
        float[] pt;
        float[] sampled;
        RolloutBatch r;
        try (SafetensorsFile a = ArtifactReader.open(it.resolve("onnx"), Schemas.REF_LOGPROBS, 1).safetensors(SequenceScores.REF_LOGPROBS_FILE);
                SafetensorsFile b = ArtifactReader.open(it.resolve("pt"), Schemas.REF_LOGPROBS, 1).safetensors(SequenceScores.REF_LOGPROBS_FILE);
                SafetensorsFile c = ArtifactReader.open(it.resolve("rollout"), Schemas.ROLLOUT, 1).safetensors(RolloutBatch.FILE_NAME)) {
            r = RolloutBatch.read(c);
            onnx = SequenceScores.readRefLogprobs(a, r.batch(), r.responseLength());
            pt = SequenceScores.readRefLogprobs(b, r.batch(), r.responseLength());
            sampled = r.logprobs();
        }
        for (int i = 0; i < onnx.length; i++) {
            assertThat(onnx[i]).as("token %d", i).isCloseTo(pt[i], within(1e-4f));
            assertThat(onnx[i]).as("token %d vs sampling", i).isCloseTo(sampled[i], within(1e-4f));
        }
    }

    @Test
    void guardsAndMismatchesStopWithoutOutput() throws Exception {
        Path policy1 = iteration(0, policy0);
        Path it = tmp.resolve("g");
        ok(step(new RolloutStep(), "--policy", policy1.toString(), "--prompts", prompts.toString(), "--rollout", it.resolve("rollout").toString(), "--max_new_tokens", "8", "--samples_per_prompt", "4"));
        ok(step(new RewardStep(), "--rollout", it.resolve("rollout").toString(), "--reward_model", rewardModel.toString(), "--scores", it.resolve("scores").toString()));
        ok(step(new ReferenceStep(), "--rollout", it.resolve("rollout").toString(), "--reference_policy", policy0.toString(), "--ref_logprobs", it.resolve("ref").toString()));

        Run budget = step(new PpoUpdateStep(), "--policy", policy1.toString(), "--rollout", it.resolve("rollout").toString(),
                "--scores", it.resolve("scores").toString(), "--ref_logprobs", it.resolve("ref").toString(),
                "--updated_policy", it.resolve("out").toString(), "--kl_budget", "1e-9", "--argo-outputs", it.resolve("argo").toString());
        assertThat(budget.exit()).isEqualTo(3);
        assertThat(budget.err()).contains("kl_seq").contains("passed the KL budget of 1.000e-09").contains("no checkpoint written");
        assertThat(it.resolve("out")).doesNotExist();
        assertThat(it.resolve("argo")).doesNotExist();

        // Scores made from another rollout (iteration 0's) are refused, naming both digests.
        Run mismatch = step(new PpoUpdateStep(), "--policy", policy1.toString(), "--rollout", it.resolve("rollout").toString(),
                "--scores", tmp.resolve("it0/scores").toString(), "--ref_logprobs", it.resolve("ref").toString(),
                "--updated_policy", it.resolve("out").toString());
        assertThat(mismatch.exit()).isEqualTo(2);
        assertThat(mismatch.err()).contains("rollout").contains("sha256:");
        assertThat(it.resolve("out")).doesNotExist();

        // A reward model with another tokenizer is refused.
        Path otherRm = tmp.resolve("other-rm");
        try (ArtifactWriter w = ArtifactWriter.create(otherRm, Schemas.REWARD_MODEL, 1, "test")) {
            Files.copy(rewardModel.resolve(RewardStep.MODEL_FILE), w.dir().resolve(RewardStep.MODEL_FILE));
            Files.copy(rewardModel.resolve(RewardConfig.FILE_NAME), w.dir().resolve(RewardConfig.FILE_NAME));
            w.writeText(RewardStep.TOKENIZER_FILE, "{\"model\": {\"vocab\": {}}}");
            w.commit();
        }
        Run tok = step(new RewardStep(), "--rollout", it.resolve("rollout").toString(), "--reward_model", otherRm.toString(), "--scores", it.resolve("s2").toString());
        assertThat(tok.exit()).isEqualTo(2);
        assertThat(tok.err()).contains("is not the policy's");
    }

    @Test
    void metricsOfAnUpdateAreComplete() throws Exception {
        iteration(0, policy0);
        Path kfp = tmp.resolve("kfp");
        Files.createDirectories(kfp);
        // The update's metrics reach the KFP executor output through the same step API.
        String executorInput = """
                {"outputs": {"artifacts": {"metrics": {"artifacts": [{"name": "metrics", "uri": "%s", "type": {"schemaTitle": "system.Metrics"}}]}},
                 "parameters": {"kl": {"outputFile": "%s"}, "reward": {"outputFile": "%s"}, "beta": {"outputFile": "%s"}},
                 "outputFile": "%s"}}""".formatted(kfp.resolve("metrics"), kfp.resolve("kl"), kfp.resolve("reward"), kfp.resolve("beta"), kfp.resolve("out.json"));
        Path it = tmp.resolve("it0");
        ok(step(new PpoUpdateStep(), "--policy", policy0.toString(), "--rollout", it.resolve("rollout").toString(),
                "--scores", it.resolve("scores").toString(), "--ref_logprobs", it.resolve("ref").toString(),
                "--updated_policy", tmp.resolve("p2").toString(), "--kfp-executor-input", executorInput));
        var metrics = MetricsJson.read(kfp.resolve("metrics"));
        assertThat(metrics).containsKeys("kl_seq", "kl_token", "beta", "reward_mean", "reward_std", "score_mean", "entropy",
                "approx_kl", "clipfrac", "policy_loss", "value_loss", "response_length", "eos_rate");
        assertThat(metrics.get("entropy")).isGreaterThan(0.1);
        assertThat(metrics.get("response_length")).isBetween(1.0, 8.0);
    }
}
