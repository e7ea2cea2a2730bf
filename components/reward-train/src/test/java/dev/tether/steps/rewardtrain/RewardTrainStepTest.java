package dev.tether.steps.rewardtrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.core.formats.SequenceScores;
import dev.tether.step.Step;
import dev.tether.step.StepRunner;
import dev.tether.steps.reward.RewardConfig;
import dev.tether.steps.reward.RewardStep;
import dev.tether.steps.rollout.RolloutStep;
import dev.tether.steps.sft.SftStep;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reward model learns a learnable preference, and what the reward step computes from the
 * exported ONNX model on a real rollout is what the trained model computes in Java.
 */
class RewardTrainStepTest {
    @TempDir
    Path tmp;

    static StepRunner.Result run(Step step, Map<String, Path> inputs, Map<String, Path> outputs, Map<String, String> params) throws Exception {
        return StepRunner.run(step, new StepRunner.Invocation(inputs, outputs, params, List.of(),
                new PrintStream(new ByteArrayOutputStream()), false));
    }

    static StepRunner.Result rewardTrain(Map<String, Path> inputs, Path out, Map<String, String> params) throws Exception {
        return run(new RewardTrainStep(), inputs, Map.of("reward_model", out), params);
    }

    @Test
    void aBagOfWordsLearnsThePreferredWord() throws Exception {
        Path prefs = TestData.preferences(tmp.resolve("prefs"), TestData.pairs(200, 1));
        Path tok = TestData.tokenizer(tmp.resolve("tok"));
        Path out = tmp.resolve("rm");
        StepRunner.Result r = rewardTrain(Map.of("preferences", prefs, "tokenizer", tok), out, Map.of("steps", "100"));

        double train = (Double) r.outputParameters().get("train_accuracy");
        double eval = (Double) r.outputParameters().get("eval_accuracy");
        assertThat(train).isGreaterThan(0.95);
        assertThat(eval).isGreaterThan(0.95);
        // All weights start at 0: every pair ties, −log σ(0) = ln 2.
        assertThat(r.metrics().get("first_loss")).isCloseTo(Math.log(2), within(1e-6));
        assertThat(r.metrics().get("loss")).isLessThan(0.2);
        assertThat(r.metrics().get("eval_records")).isEqualTo(20.0);
        assertThat(r.metrics().get("onnx_max_abs_diff")).isLessThanOrEqualTo(1e-4);
        System.out.printf("bow: accuracy %.3f train, %.3f eval; loss %.4f → %.4f%n", train, eval, r.metrics().get("first_loss"),
                r.metrics().get("loss"));

        ArtifactReader rm = ArtifactReader.open(out, Schemas.REWARD_MODEL, 1);
        assertThat(rm.manifest().files().keySet()).containsExactlyInAnyOrder(RewardStep.MODEL_FILE, RewardStep.TOKENIZER_FILE,
                "special_tokens_map.json", RewardConfig.FILE_NAME, "config.json", "model.safetensors");
        assertThat(Files.readAllBytes(out.resolve("tokenizer.json"))).isEqualTo(Files.readAllBytes(tok.resolve("tokenizer.json")));
        RewardConfig config = RewardConfig.read(out.resolve(RewardConfig.FILE_NAME));
        assertThat(config.kind()).isEqualTo("logit");
        assertThat(config.mean()).isEqualTo(0.0);
        assertThat(config.std()).isEqualTo(1.0);
        try (NDManager nd = NDManager.newBaseManager(RewardTrainStep.ENGINE); RewardModel model = RewardModelFiles.read(out, nd)) {
            float[] w = model.head().toFloatArray();
            assertThat(w[TestData.id("good")]).isGreaterThan(1f).isGreaterThan(w[TestData.id("bad")] + 2f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bow", "transformer"})
    void theRewardStepScoresARolloutAsTheTrainedModelDoes(String kind) throws Exception {
        Path tok = TestData.tokenizer(tmp.resolve("tok"));
        // A base policy that speaks the language, and a rollout of it.
        SplittableRandom rng = new SplittableRandom(5);
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String noun = TestData.NOUNS.get(i % TestData.NOUNS.size());
            sentences.add(TestData.JSON.createObjectNode().put("text", "the " + noun + " " + TestData.response(i % 2 == 0 ? "good" : "bad", rng)).toString());
        }
        Path policy = tmp.resolve("policy");
        run(new SftStep(), Map.of("text", TestData.text(tmp.resolve("sft-text"), sentences), "tokenizer", tok), Map.of("policy", policy),
                Map.of("steps", "60", "batch_size", "16", "learning_rate", "1e-2", "warmup_steps", "5", "n_layer", "1", "n_embd", "32",
                        "n_head", "2", "n_inner", "64"));
        Path prompts = TestData.prompts(tmp.resolve("prompts"), TestData.NOUNS.stream().map(n -> "the " + n).toList());
        Path rollout = tmp.resolve("rollout");
        assertOk(TestData.cli(new RolloutStep(), "--policy", policy.toString(), "--prompts", prompts.toString(), "--rollout", rollout.toString(),
                "--max_new_tokens", "8", "--samples_per_prompt", "4", "--seed", "2"));

        // The reward model: from the policy's trunk (transformer), normalised over the rollout.
        Map<String, Path> inputs = new HashMap<>(Map.of("preferences", TestData.preferences(tmp.resolve("prefs"), TestData.pairs(120, 3)),
                "normalize_on", rollout));
        Map<String, String> params = new HashMap<>(Map.of("model_kind", kind, "normalize", "true"));
        if (kind.equals("transformer")) {
            inputs.put("init_policy", policy);
            params.putAll(Map.of("steps", "40", "batch_size", "16", "learning_rate", "3e-3"));
        } else {
            inputs.put("tokenizer", tok);
            params.put("steps", "100");
        }
        Path rm = tmp.resolve("rm");
        StepRunner.Result trained = rewardTrain(inputs, rm, params);
        System.out.printf("%s: accuracy %.3f train, %.3f eval; onnx diff %.2e%n", kind, trained.outputParameters().get("train_accuracy"),
                trained.outputParameters().get("eval_accuracy"), trained.metrics().get("onnx_max_abs_diff"));
        assertThat((Double) trained.outputParameters().get("train_accuracy")).isGreaterThan(0.9);

        // The reward step (ONNX Runtime) on the rollout.
        Path scoresDir = tmp.resolve("scores");
        assertOk(TestData.cli(new RewardStep(), "--rollout", rollout.toString(), "--reward_model", rm.toString(), "--scores", scoresDir.toString()));
        RolloutBatch batch;
        float[] onnx;
        try (SafetensorsFile f = ArtifactReader.open(rollout, Schemas.ROLLOUT, 1).safetensors(RolloutBatch.FILE_NAME)) {
            batch = RolloutBatch.read(f);
        }
        try (SafetensorsFile f = ArtifactReader.open(scoresDir, Schemas.SCORES, 1).safetensors(SequenceScores.SCORES_FILE)) {
            onnx = SequenceScores.readScores(f, batch.batch());
        }
        // The trained model, read back from the artifact, in Java on PyTorch, normalised with reward_config.json.
        RewardConfig config = RewardConfig.read(rm.resolve(RewardConfig.FILE_NAME));
        RolloutSequences rows = RolloutSequences.of(batch);
        float[] java;
        try (NDManager nd = NDManager.newBaseManager(RewardTrainStep.ENGINE); RewardModel model = RewardModelFiles.read(rm, nd)) {
            java = Scoring.rows(model, rows.ids(), rows.mask(), rows.rows(), rows.length(), 7, nd);
        }
        double mean = 0;
        double max = 0;
        for (int i = 0; i < java.length; i++) {
            double normalised = (java[i] - config.mean()) / config.std();
            max = Math.max(max, Math.abs(normalised - onnx[i]));
            mean += onnx[i];
        }
        mean /= onnx.length;
        double var = 0;
        for (float s : onnx) {
            var += (s - mean) * (s - mean);
        }
        double std = Math.sqrt(var / (onnx.length - 1));
        System.out.printf("%s: %d rollout scores, max |onnx − java| %.2e, mean %.2e, std %.6f%n", kind, onnx.length, max, mean, std);
        assertThat(max).isLessThanOrEqualTo(1e-4);
        // Normalised over this very rollout: the reward step's scores have mean 0 and std 1.
        assertThat(mean).isCloseTo(0.0, within(1e-4));
        assertThat(std).isCloseTo(1.0, within(1e-4));
        assertThat(config.std()).isNotEqualTo(1.0);
    }

    @Test
    void labelledTextsAndTokenIdsWithoutATokenizer() throws Exception {
        SplittableRandom rng = new SplittableRandom(4);
        List<String> labelled = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            boolean good = rng.nextBoolean();
            labelled.add(TestData.JSON.createObjectNode().put("text", "the food " + TestData.response(good ? "good" : "bad", rng))
                    .put("label", good ? 1 : 0).toString());
        }
        Path tok = TestData.tokenizer(tmp.resolve("tok"));
        StepRunner.Result labels = rewardTrain(Map.of("labeled_text", TestData.text(tmp.resolve("labels"), labelled), "tokenizer", tok),
                tmp.resolve("rm-labels"), Map.of("steps", "100", "normalize", "true"));
        assertThat((Double) labels.outputParameters().get("train_accuracy")).isGreaterThan(0.95);
        assertThat((Double) labels.outputParameters().get("eval_accuracy")).isGreaterThan(0.95);
        RewardConfig config = RewardConfig.read(tmp.resolve("rm-labels").resolve(RewardConfig.FILE_NAME));
        assertThat(config.std()).isEqualTo(labels.metrics().get("normalize_std")).isGreaterThan(0.5);
        assertThat(labels.metrics().get("normalize_count")).isEqualTo(90.0);

        StepRunner.Result ids = rewardTrain(Map.of("preferences", TestData.preferences(tmp.resolve("ids"), TestData.pairIds(100, 6))),
                tmp.resolve("rm-ids"), Map.of("steps", "100", "vocab_size", Integer.toString(TestData.WORDS.size())));
        assertThat((Double) ids.outputParameters().get("eval_accuracy")).isGreaterThan(0.95);
        assertThat(ArtifactReader.open(tmp.resolve("rm-ids"), Schemas.REWARD_MODEL, 1).manifest().files()).doesNotContainKey("tokenizer.json");
    }

    @Test
    void aNewTransformerLearnsToo() throws Exception {
        Path tok = TestData.tokenizer(tmp.resolve("tok"));
        StepRunner.Result r = rewardTrain(Map.of("preferences", TestData.preferences(tmp.resolve("prefs"), TestData.pairs(120, 8)), "tokenizer", tok),
                tmp.resolve("rm"), Map.of("model_kind", "transformer", "model_type", "llama", "n_layer", "1", "n_embd", "16", "n_head", "2",
                        "n_inner", "32", "steps", "60", "batch_size", "16", "learning_rate", "1e-2"));
        System.out.printf("llama reward: accuracy %.3f train, %.3f eval, loss %.4f → %.4f%n", r.outputParameters().get("train_accuracy"),
                r.outputParameters().get("eval_accuracy"), r.metrics().get("first_loss"), r.metrics().get("loss"));
        assertThat((Double) r.outputParameters().get("train_accuracy")).isGreaterThan(0.9);
        assertThat(r.metrics().get("loss")).isLessThan(r.metrics().get("first_loss") - 0.3);
    }

    static void assertOk(TestData.Run r) {
        assertThat(r.exit()).as(r.err()).isZero();
    }
}
