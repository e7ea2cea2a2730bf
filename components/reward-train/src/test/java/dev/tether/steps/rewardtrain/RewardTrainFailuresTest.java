package dev.tether.steps.rewardtrain;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.formats.Schemas;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input exits 2 and a guard exits 3, with one line on stderr that says where and what, and no
 * output (not even a temp folder). The same seed writes the same bytes.
 */
class RewardTrainFailuresTest {
    @TempDir
    Path tmp;
    Path tok;
    Path out;

    @BeforeEach
    void setUp() throws Exception {
        tok = TestData.tokenizer(tmp.resolve("tok"));
        out = tmp.resolve("out/rm");
        Files.createDirectories(out.getParent());
    }

    private TestData.Run train(String... args) {
        List<String> all = new ArrayList<>(List.of("--reward_model", out.toString(), "--steps", "5"));
        all.addAll(Arrays.asList(args));
        return TestData.cli(new RewardTrainStep(), all.toArray(String[]::new));
    }

    private void refused(TestData.Run r, int exit, String... fragments) throws Exception {
        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
        assertThat(out).doesNotExist();
        try (Stream<Path> siblings = Files.list(out.getParent())) {
            assertThat(siblings.toList()).isEmpty();
        }
    }

    private Path prefs(String name, List<String> lines) {
        return TestData.preferences(tmp.resolve(name), lines);
    }

    @Test
    void badDataIsRefusedWithItsLine() throws Exception {
        String ok = TestData.pairs(1, 1).get(0);
        refused(train("--tokenizer", tok.toString()), 2, "give exactly one of --preferences (pairs) and --labeled_text (labels); neither was given");
        refused(train("--tokenizer", tok.toString(), "--preferences", prefs("p", List.of(ok)).toString(), "--labeled_text",
                TestData.text(tmp.resolve("t"), List.of("{\"text\": \"the food\", \"label\": 1}")).toString()), 2, "both were given");
        refused(train("--tokenizer", tok.toString(), "--preferences", prefs("empty", List.of()).toString()), 2,
                "preferences.jsonl: no records");
        refused(train("--tokenizer", tok.toString(), "--preferences", prefs("json", List.of(ok, "{\"chosen\": [")).toString()), 2,
                "preferences.jsonl line 2: not valid JSON");
        refused(train("--tokenizer", tok.toString(), "--preferences", prefs("side", List.of(ok, ok, "{\"chosen\": \"was good .\"}")).toString()), 2,
                "preferences.jsonl line 3: expected a \"rejected\" string or a \"rejected_ids\" array of token ids, found neither");
        refused(train("--tokenizer", tok.toString(), "--preferences",
                prefs("word", List.of("{\"chosen\": \"was good .\", \"rejected\": \"was horrid .\"}")).toString()), 2,
                "preferences.jsonl line 1: \"rejected\":", "cannot encode it", "(\"horrid\" is not in its vocabulary)");
        refused(train("--tokenizer", tok.toString(), "--labeled_text",
                TestData.text(tmp.resolve("label"), List.of("{\"text\": \"the food was good .\", \"label\": 2}")).toString()), 2,
                "text.jsonl line 1: \"label\": expected 0 or 1 (or false/true), found 2");
        refused(train("--preferences", prefs("ids", List.of("{\"chosen_ids\": [1, 3, 4], \"rejected_ids\": [1, 3, 40]}")).toString(),
                "--vocab_size", "20"), 2, "preferences.jsonl line 1: \"rejected_ids\": token id 40 at position 2 is outside the model's vocabulary [0, 20)");
    }

    @Test
    void aTokenizerLargerThanTheModelIsRefused() throws Exception {
        Path p = prefs("p", TestData.pairs(10, 1));
        refused(train("--tokenizer", tok.toString(), "--preferences", p.toString(), "--vocab_size", "12"), 2,
                "tokenizer.json: token \".\" has id 19, but the model (vocab_size) has a vocabulary of 12", "larger than the model's");
        refused(train("--tokenizer", tok.toString(), "--preferences", p.toString(), "--model_kind", "transformer", "--init_policy",
                policy(tmp.resolve("small"), 12, false).toString()), 2, "the reward model has a vocabulary of 12", "larger than the model's");
    }

    @Test
    void normalisationInputsAreChecked() throws Exception {
        Path p = prefs("p", TestData.pairs(10, 1));
        Path rollout = TestData.artifact(tmp.resolve("rollout"), Schemas.ROLLOUT, "rollout.jsonl", List.of("{}"));
        refused(train("--tokenizer", tok.toString(), "--preferences", p.toString(), "--normalize_on", rollout.toString()), 2,
                "normalize_on is given but normalize is false");
    }

    @Test
    void aNanLossStopsTheStepWithTheGuardCode() throws Exception {
        refused(train("--tokenizer", tok.toString(), "--preferences", prefs("p", TestData.pairs(10, 1)).toString(), "--model_kind", "transformer",
                "--init_policy", policy(tmp.resolve("nan"), 20, true).toString()), 3, "training loss is NaN at step 1", "nothing written");
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws Exception {
        Path p = prefs("p", TestData.pairs(40, 1));
        List<String> files = List.of("manifest.json", "model.onnx", "reward_config.json", "config.json", "model.safetensors", "tokenizer.json");
        for (String kind : List.of("bow", "transformer")) {
            for (String run : List.of("a", "b", "c")) {
                TestData.Run r = TestData.cli(new RewardTrainStep(), "--reward_model", tmp.resolve(kind + run).toString(), "--preferences", p.toString(),
                        "--tokenizer", tok.toString(), "--model_kind", kind, "--steps", "10", "--batch_size", "8", "--normalize", "true",
                        "--n_layer", "1", "--n_embd", "16", "--n_head", "2", "--n_inner", "32", "--seed", run.equals("c") ? "2" : "1");
                assertThat(r.exit()).as(r.err()).isZero();
            }
            for (String f : files) {
                assertThat(Files.readAllBytes(tmp.resolve(kind + "b").resolve(f))).as(kind + " " + f)
                        .isEqualTo(Files.readAllBytes(tmp.resolve(kind + "a").resolve(f)));
            }
            assertThat(Files.readAllBytes(tmp.resolve(kind + "c/model.onnx"))).as(kind + ": another seed, another model")
                    .isNotEqualTo(Files.readAllBytes(tmp.resolve(kind + "a/model.onnx")));
        }
    }

    /** A tiny GPT-2 policy without tokenizer; {@code nan}: one embedding weight is NaN. */
    static Path policy(Path dir, int vocab, boolean nan) throws Exception {
        ObjectNode json = TestData.JSON.createObjectNode().put("model_type", "gpt2").put("vocab_size", vocab).put("n_positions", 16)
                .put("n_embd", 16).put("n_layer", 1).put("n_head", 2).put("bos_token_id", 1).put("eos_token_id", 2);
        ModelConfig config = ModelConfig.parse(json, "test");
        try (NDManager nd = NDManager.newBaseManager(RewardTrainStep.ENGINE); CausalLM model = CausalLM.initialize(config, nd, 1);
                ArtifactWriter w = ArtifactWriter.create(dir, Schemas.POLICY, 1, "test")) {
            if (nan) {
                model.parameters().get("transformer.wte.weight").set(new NDIndex("3, 0"), Float.NaN);
            }
            PolicyArtifact.write(w.dir(), Checkpoint.of(model), Optional.empty());
            return w.commit();
        }
    }
}
