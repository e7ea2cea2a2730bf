package dev.tether.steps.evaluate;

import static dev.tether.steps.evaluate.Fixtures.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.steps.evaluate.Fixtures.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input stops the step with exit code 2, one line naming what is wrong, and no output. */
class EvaluateBadInputTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static Path policy;
    static Path prompts;
    static Path rewardModel;

    @BeforeAll
    static void fixtures() throws Exception {
        policy = Fixtures.policy(shared.resolve("policy"), 3);
        prompts = Fixtures.prompts(shared.resolve("prompts"), List.of(new int[] {1, 3}));
        rewardModel = Fixtures.rewardModel(shared.resolve("rm"), new float[12], null);
    }

    private Run evaluate(Path promptsDir, Path rm, String... more) {
        List<String> a = new ArrayList<>(List.of("--policy", policy.toString(), "--prompts", promptsDir.toString(), "--reward_model", rm.toString(),
                "--evaluation", tmp.resolve("out").toString(), "--argo-outputs", tmp.resolve("argo").toString(), "--max_new_tokens", "4",
                "--samples_per_prompt", "2"));
        a.addAll(List.of(more));
        return step(new EvaluateStep(), a.toArray(String[]::new));
    }

    private Run refused(Run r, String... fragments) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).hasLineCount(1).startsWith("tether evaluate: ").contains(fragments);
        assertThat(tmp.resolve("out")).doesNotExist();
        assertThat(tmp.resolve("argo")).doesNotExist();
        return r;
    }

    @Test
    void aMalformedPromptsFile() throws Exception {
        Path bad = Fixtures.rawPrompts(tmp.resolve("bad-prompts"), "{\"prompt\": \"p0\", \"prompt_ids\": [1, 3]}\n{\"prompt\": oops}\n");
        refused(evaluate(bad, rewardModel, "--reference_policy", policy.toString()), "prompts.jsonl line 2: not valid JSON");
        Path outside = Fixtures.rawPrompts(tmp.resolve("outside"), "{\"prompt\": \"p0\", \"prompt_ids\": [1, 99]}\n");
        refused(evaluate(outside, rewardModel, "--reference_policy", policy.toString()), "line 1: token id 99 outside the policy's vocabulary [0, 12)");
    }

    @Test
    void aRewardModelWithAnotherTokenizer() throws Exception {
        Path other = tmp.resolve("other-rm");
        Fixtures.rewardModel(other, new float[12], null);
        Path withTokenizer = tmp.resolve("rm-tok");
        try (var w = dev.tether.core.artifact.ArtifactWriter.create(withTokenizer, dev.tether.core.formats.Schemas.REWARD_MODEL, 1, "test")) {
            for (String f : List.of(RewardModelScores.MODEL_FILE, "reward_config.json")) {
                Files.copy(other.resolve(f), w.dir().resolve(f));
            }
            w.writeText("tokenizer.json", "{\"model\": {\"vocab\": {}}}");
            w.commit();
        }
        refused(evaluate(prompts, withTokenizer, "--reference_policy", policy.toString()), "reward_model", "is not the policy's");
    }

    @Test
    void aMissingOrInconsistentGold() throws Exception {
        refused(evaluate(prompts, rewardModel, "--reference_policy", policy.toString(), "--gold_model", tmp.resolve("nowhere").toString()),
                "input gold_model:", "is not a directory");
        refused(evaluate(prompts, rewardModel, "--reference_policy", policy.toString(), "--gold_model", rewardModel.toString(), "--gold_task", "reviews"),
                "give one gold scorer");
        // The demo gold judges the review language's ids: a policy with another vocabulary is refused.
        refused(evaluate(prompts, rewardModel, "--reference_policy", policy.toString(), "--gold_task", "reviews"),
                "tokenizer.json: missing; gold_task=reviews: the policy must use the review language's tokenizer");
        // A history with gold cannot go on without it.
        Path withGold = tmp.resolve("with-gold");
        Run ok = step(new EvaluateStep(), "--policy", policy.toString(), "--prompts", prompts.toString(), "--reward_model", rewardModel.toString(),
                "--reference_policy", policy.toString(), "--gold_model", rewardModel.toString(), "--evaluation", withGold.toString(), "--max_new_tokens", "4");
        assertThat(ok.exit()).as(ok.err()).isZero();
        refused(evaluate(prompts, rewardModel, "--reference_policy", policy.toString(), "--history", withGold.toString()),
                "has gold rewards but this evaluation has no gold scorer");
    }

    @Test
    void aReferenceGivenTwiceOrNotAtAllAndBadParameters() throws Exception {
        refused(evaluate(prompts, rewardModel), "give exactly one of --reference (ONNX) and --reference_policy (checkpoint), got neither");
        Path onnx = Fixtures.onnxReference(tmp.resolve("ref-onnx"), policy);
        refused(evaluate(prompts, rewardModel, "--reference_policy", policy.toString(), "--reference", onnx.toString()), "got both");
        refused(evaluate(prompts, rewardModel, "--reference_policy", policy.toString(), "--batch_size", "0"), "batch_size: expected ≥ 1, got 0");
        refused(evaluate(prompts, rewardModel, "--reference_policy", policy.toString(), "--temperature", "0"), "temperature: expected a finite number > 0");
        refused(evaluate(prompts, rewardModel, "--reference_policy", policy.toString(), "--kl_estimator", "k2"), "kl_estimator: expected one of k1, k3");
    }
}
