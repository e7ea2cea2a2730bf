package dev.tether.steps.evaluate;

import static dev.tether.steps.evaluate.Fixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.CanonicalJson;
import dev.tether.steps.evaluate.Fixtures.Run;
import dev.tether.steps.evaluate.artifact.Evaluation;
import dev.tether.steps.evaluate.artifact.EvaluationArtifact;
import dev.tether.steps.evaluate.artifact.EvaluationPoint;
import dev.tether.steps.evaluate.artifact.Metric;
import dev.tether.steps.evaluate.artifact.SampleRow;
import dev.tether.tasks.reviews.GoldReward;
import dev.tether.tasks.reviews.ReviewPrompts;
import dev.tether.tasks.reviews.TextMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluate step through its command line, on tiny random GPT-2 policies. */
class EvaluateStepTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static Path policy0;
    static Path policy1;
    static Path prompts;
    static Path rewardModel;
    static float[] weights;

    @BeforeAll
    static void fixtures() throws Exception {
        policy0 = Fixtures.policy(shared.resolve("policy0"), 3);
        // Another "checkpoint": other weights, three PPO iterations in its trainer state.
        policy1 = Fixtures.policy(shared.resolve("policy1"), 12, 4, false, Fixtures.trainingLog(3), 3);
        prompts = Fixtures.prompts(shared.resolve("prompts"), List.of(new int[] {1, 3}, new int[] {1, 4}, new int[] {1, 5, 6}));
        weights = new float[12];
        weights[5] = 1;
        weights[6] = -1;
        weights[7] = 0.5f;
        rewardModel = Fixtures.rewardModel(shared.resolve("rm"), weights, null);
    }

    private static String[] args(Path policy, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("--policy", policy.toString(), "--prompts", prompts.toString(), "--reward_model", rewardModel.toString(),
                "--reference_policy", policy0.toString(), "--evaluation", out.toString(), "--max_new_tokens", "8", "--samples_per_prompt", "4",
                "--seed", "7"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static EvaluationArtifact read(Path dir) {
        return EvaluationArtifact.read(ArtifactReader.open(dir, EvaluationArtifact.SCHEMA, 1));
    }

    private static void ok(Run r) {
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void aPolicyEqualToItsReferenceHasNoKl() throws Exception {
        Path out = tmp.resolve("eval");
        ok(step(new EvaluateStep(), args(policy0, out, "--argo-outputs", tmp.resolve("argo").toString(), "--kl_estimator", "k1")));
        Evaluation e = read(out).evaluation();
        // Same weights, same engine: every log-ratio is exactly 0.
        for (String kl : List.of("kl_k1_seq", "kl_k1_token", "kl_k3_seq", "kl_k3_token")) {
            assertThat(e.metrics().get(kl)).as(kl).isCloseTo(0.0, within(1e-6));
        }
        assertThat(Double.parseDouble(Files.readString(tmp.resolve("argo/kl")))).isCloseTo(0.0, within(1e-6));
        assertThat(Double.parseDouble(Files.readString(tmp.resolve("argo/reward")))).isEqualTo(e.metrics().get(Metric.REWARD), within(1e-12));
        assertThat(tmp.resolve("argo/gold_reward")).as("no gold scorer, no gold output").doesNotExist();

        // The same reference as ONNX, on ONNX Runtime: within float noise of 0.
        Path onnx = Fixtures.onnxReference(tmp.resolve("ref-onnx"), policy0);
        Path out2 = tmp.resolve("eval-onnx");
        List<String> a = new ArrayList<>(List.of(args(policy0, out2)));
        int i = a.indexOf("--reference_policy");
        a.set(i, "--reference");
        a.set(i + 1, onnx.toString());
        ok(step(new EvaluateStep(), a.toArray(String[]::new)));
        Evaluation onnxEval = read(out2).evaluation();
        assertThat(onnxEval.metrics().get("kl_k1_seq")).isCloseTo(0.0, within(1e-4));
        assertThat(onnxEval.metrics().get("kl_k3_token")).isCloseTo(0.0, within(1e-4));
        // Same seed, same samples: the proxy does not depend on the reference.
        assertThat(onnxEval.metrics().get(Metric.REWARD)).isEqualTo(e.metrics().get(Metric.REWARD));
    }

    @Test
    void numbersAreTheSamplesNumbers() throws Exception {
        Path out = tmp.resolve("eval");
        ok(step(new EvaluateStep(), args(policy1, out, "--label", "trained")));
        EvaluationArtifact a = read(out);
        Evaluation e = a.evaluation();
        List<SampleRow> samples = a.samples();
        assertThat(samples).hasSize(12);
        List<String> promptIds = List.of("[1,3]", "[1,4]", "[1,5,6]");
        double reward = 0;
        double k1 = 0;
        double k3 = 0;
        List<int[]> responses = new ArrayList<>();
        for (SampleRow s : samples) {
            // The bag of words sums the weights of prompt and response tokens.
            int[] prompt = CanonicalJson.mapper().readValue(promptIds.get(s.promptIndex()), int[].class);
            double expected = 0;
            for (int t : prompt) {
                expected += weights[t];
            }
            for (int t : s.responseIds()) {
                expected += weights[t];
            }
            assertThat(s.reward()).isCloseTo(expected, within(1e-5));
            assertThat(s.klK3()).isGreaterThanOrEqualTo(0.0);
            assertThat(s.length()).isEqualTo(s.responseIds().length).isBetween(1, 8);
            reward += s.reward();
            k1 += s.klK1();
            k3 += s.klK3();
            responses.add(s.responseIds());
        }
        assertThat(e.metrics().get(Metric.REWARD)).isCloseTo(reward / 12, within(1e-6));
        assertThat(e.metrics().get("kl_k1_seq")).isCloseTo(k1 / 12, within(1e-5));
        assertThat(e.metrics().get("kl_k3_seq")).isCloseTo(k3 / 12, within(1e-5));
        // Other weights than the reference's: a real KL, and k3 ≥ 0 always.
        assertThat(e.metrics().get("kl_k3_seq")).isGreaterThan(1e-3);
        assertThat(e.metrics().get(Metric.ENTROPY)).isBetween(0.5, Math.log(12) + 1e-6);
        assertThat(e.metrics().get(Metric.DISTINCT_1)).isEqualTo(ResponseStats.of(responses, 2).distinct1());
        assertThat(e.metrics().get(Metric.NUM_SAMPLES)).isEqualTo(12.0);
        assertThat(e.metrics()).doesNotContainKey(Metric.GOLD);
        // The policy's training log and KL target travel into the evaluation.
        assertThat(e.iteration()).isEqualTo(3);
        assertThat(e.trainingLog()).hasSize(3);
        assertThat(e.trainingLog().get(2).klSeq()).isEqualTo(1.0);
        assertThat(e.klTarget().value()).isEqualTo(2.0);
        assertThat(e.settings().klMetric()).isEqualTo("kl_k3_seq");

        // A step is a function of its inputs, parameters and seed: the rerun's files are the same bytes.
        Path again = tmp.resolve("again");
        ok(step(new EvaluateStep(), args(policy1, again, "--label", "trained")));
        for (String f : List.of("evaluation.json", "samples.jsonl", "report.html", "report.md", "charts/reward_vs_kl.svg", "manifest.json")) {
            assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(out.resolve(f)));
        }
    }

    @Test
    void historyAccumulatesIntoOneCurve() throws Exception {
        Path first = tmp.resolve("eval0");
        ok(step(new EvaluateStep(), args(policy0, first, "--label", "arm")));
        Path second = tmp.resolve("eval1");
        ok(step(new EvaluateStep(), args(policy1, second, "--label", "arm", "--history", first.toString())));
        Evaluation e0 = read(first).evaluation();
        Evaluation e1 = read(second).evaluation();
        assertThat(e1.points()).hasSize(2);
        assertThat(e1.points().get(0)).isEqualTo(e0.self());
        assertThat(e1.self().iteration()).isEqualTo(3);
        assertThat(e1.self().metrics()).isEqualTo(e1.metrics());
        // A third evaluation on top carries both; re-evaluating policy1 replaces its point.
        Path third = tmp.resolve("eval2");
        ok(step(new EvaluateStep(), args(policy1, third, "--label", "arm", "--history", second.toString(), "--temperature", "0.8")));
        List<EvaluationPoint> points = read(third).evaluation().points();
        assertThat(points).extracting(EvaluationPoint::iteration).containsExactly(0L, 3L);
        assertThat(points.get(1).metrics()).isNotEqualTo(e1.self().metrics());
        String md = Files.readString(second.resolve("report.md"));
        assertThat(md).contains("| 0 | arm |").contains("| 3 | arm |");
    }

    @Test
    void goldTaskReviewsScoresWithTheDemoGold() throws Exception {
        Path policy = Fixtures.reviewPolicy(tmp.resolve("policy"), 9);
        Path reviewPrompts = Fixtures.prompts(tmp.resolve("prompts"),
                ReviewPrompts.EVAL_NOUNS.stream().map(ReviewPrompts::ids).toList());
        Path rm = Fixtures.rewardModel(tmp.resolve("rm"), new float[65], policy);
        Path out = tmp.resolve("eval");
        ok(step(new EvaluateStep(), "--policy", policy.toString(), "--prompts", reviewPrompts.toString(), "--reward_model", rm.toString(),
                "--reference_policy", policy.toString(), "--evaluation", out.toString(), "--max_new_tokens", "13", "--samples_per_prompt", "3",
                "--gold_task", "reviews", "--argo-outputs", tmp.resolve("argo").toString()));
        EvaluationArtifact a = read(out);
        assertThat(Double.parseDouble(Files.readString(tmp.resolve("argo/gold_reward")))).isEqualTo(a.evaluation().metrics().get(Metric.GOLD));
        List<int[]> prompts = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        for (SampleRow s : a.samples()) {
            int[] prompt = ReviewPrompts.ids(ReviewPrompts.EVAL_NOUNS.get(s.promptIndex()));
            assertThat(s.gold()).isEqualTo(GoldReward.RECIPE.scoreResponse(prompt, s.responseIds()));
            prompts.add(prompt);
            responses.add(s.responseIds());
        }
        Map<String, Double> m = a.evaluation().metrics();
        Map<String, Double> demo = TextMetrics.summary(prompts, responses, GoldReward.RECIPE);
        assertThat(m.get(Metric.GOLD)).isCloseTo(demo.get("gold"), within(1e-12));
        assertThat(m.get(Metric.GRAMMATICAL)).isEqualTo(demo.get("grammatical_rate"));
        assertThat(m.get(Metric.DISTINCT_1)).isCloseTo(demo.get("distinct_1"), within(1e-12));
        assertThat(m.get(Metric.DISTINCT_2)).isCloseTo(demo.get("distinct_2"), within(1e-12));
        assertThat(m.get(Metric.REPETITION)).isCloseTo(demo.get("repetition_rate"), within(1e-12));
        assertThat(m.get(Metric.LENGTH)).isCloseTo(demo.get("mean_length"), within(1e-12));
        assertThat(m.get(Metric.EOS_RATE)).isCloseTo(demo.get("eos_rate"), within(1e-12));
        assertThat(a.evaluation().settings().gold()).isEqualTo("reviews");
        // Text prompts go through the tokenizer, decoded responses are the review language's words.
        assertThat(a.samples().get(0).response()).isNotBlank();
        JsonNode tree = CanonicalJson.mapper().readTree(Files.readAllBytes(out.resolve("evaluation.json")));
        assertThat(tree.path("metrics").path("gold_reward").isNumber()).isTrue();
    }
}
