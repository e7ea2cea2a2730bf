package dev.tether.steps.sft;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input exits 2 and a guard exits 3, each with one line on stderr that says where and what,
 * and no output artifact (not even a partial one: the parent folder holds nothing else). The same
 * seed writes the same bytes.
 */
class SftFailuresTest {
    @TempDir
    Path tmp;

    private Fixtures.Run sft(Path text, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("--text", text.toString(), "--policy", out.toString(),
                "--n_layer", "1", "--n_embd", "16", "--n_head", "2", "--n_inner", "32", "--steps", "5", "--batch_size", "4"));
        args.addAll(Arrays.asList(more));
        return Fixtures.cli(new SftStep(), args.toArray(String[]::new));
    }

    private void refused(Fixtures.Run r, int exit, Path out, String... fragments) throws Exception {
        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
        assertThat(out).doesNotExist();
        try (Stream<Path> siblings = Files.list(out.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(out.getFileName() + ".tether-"));
        }
    }

    @Test
    void badTextIsRefusedWithItsLine() throws Exception {
        Path tok = Fixtures.tokenizer(tmp.resolve("tok"));
        Path out = tmp.resolve("out/policy");
        Files.createDirectories(out.getParent());

        refused(sft(Fixtures.text(tmp.resolve("empty"), List.of()), out, "--tokenizer", tok.toString()), 2, out,
                "text.jsonl: no records");
        refused(sft(Fixtures.text(tmp.resolve("malformed"), List.of("{\"text\": \"the cat sat\"}", "", "{\"text\": ")), out,
                "--tokenizer", tok.toString()), 2, out, "text.jsonl line 3: not valid JSON");
        refused(sft(Fixtures.text(tmp.resolve("nofield"), List.of("{\"text\": \"the cat sat\"}", "{\"words\": \"x\"}")), out,
                "--tokenizer", tok.toString()), 2, out, "text.jsonl line 2: expected a \"text\" string or a \"ids\" array", "fields: words");
        refused(sft(Fixtures.text(tmp.resolve("unknown"), List.of("{\"text\": \"the cat sat\"}", "{\"text\": \"the zebra sat\"}")), out,
                "--tokenizer", tok.toString()), 2, out, "text.jsonl line 2: \"text\":", "cannot encode it", "(\"zebra\" is not in its vocabulary)");
        refused(sft(Fixtures.text(tmp.resolve("badid"), List.of("{\"ids\": [1, 3, 99, 2]}")), out, "--tokenizer", tok.toString()),
                2, out, "text.jsonl line 1: \"ids\": token id 99 at position 2 is outside the model's vocabulary [0, 16)");
        refused(sft(Fixtures.text(tmp.resolve("notext"), List.of("{\"text\": \"the cat sat\"}")), out, "--vocab_size", "16",
                "--eos_token_id", "2"), 2, out, "line 1: \"text\" is text but no tokenizer was given");
        refused(sft(Fixtures.text(tmp.resolve("split"), Fixtures.corpus(10, 1)), out, "--tokenizer", tok.toString(),
                "--eval_fraction", "0"), 2, out, "eval_fraction: expected 0 < f < 1");
    }

    @Test
    void aTokenizerLargerThanTheModelIsRefused() throws Exception {
        Path tok = Fixtures.tokenizer(tmp.resolve("tok"));
        Path text = Fixtures.text(tmp.resolve("text"), Fixtures.corpus(10, 1));
        Path out = tmp.resolve("out/policy");
        Files.createDirectories(out.getParent());
        // A new model asked to be smaller than the tokenizer.
        refused(sft(text, out, "--tokenizer", tok.toString(), "--vocab_size", "12"), 2, out,
                "tokenizer.json: token \".\" has id 15, but the model (vocab_size) has a vocabulary of 12",
                "larger than the model's");
        // A starting policy whose embedding is smaller than the tokenizer given beside it.
        Path small = policy(tmp.resolve("small"), 12, false);
        refused(sft(text, out, "--tokenizer", tok.toString(), "--init_policy", small.toString()), 2, out,
                "but init_policy (config.json vocab_size) has a vocabulary of 12", "larger than the model's");
    }

    @Test
    void aTokenizerOtherThanTheStartingPolicysIsRefused() throws Exception {
        Path tok = Fixtures.tokenizer(tmp.resolve("tok"));
        Path text = Fixtures.text(tmp.resolve("text"), Fixtures.corpus(10, 1));
        Path out = tmp.resolve("out/policy");
        Files.createDirectories(out.getParent());
        List<String> reordered = new ArrayList<>(Fixtures.WORDS);
        java.util.Collections.swap(reordered, 3, 4);
        Path other = Fixtures.tokenizer(tmp.resolve("other"), reordered);
        assertThat(sft(text, tmp.resolve("p1"), "--tokenizer", tok.toString()).exit()).isZero();
        refused(sft(text, out, "--tokenizer", other.toString(), "--init_policy", tmp.resolve("p1").toString()), 2, out,
                "other/tokenizer.json: differs from the starting policy's", "p1/tokenizer.json");
    }

    @Test
    void aNanLossStopsTheStepWithTheGuardCode() throws Exception {
        Path tok = Fixtures.tokenizer(tmp.resolve("tok"));
        Path text = Fixtures.text(tmp.resolve("text"), Fixtures.corpus(10, 1));
        Path out = tmp.resolve("out/policy");
        Files.createDirectories(out.getParent());
        Path broken = policy(tmp.resolve("nan"), 16, true);
        refused(sft(text, out, "--tokenizer", tok.toString(), "--init_policy", broken.toString()), 3, out,
                "training loss is NaN at step 1", "nothing written");
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws Exception {
        Path tok = Fixtures.tokenizer(tmp.resolve("tok"));
        Path text = Fixtures.text(tmp.resolve("text"), Fixtures.corpus(20, 1));
        for (String name : List.of("a", "b", "c")) {
            Fixtures.Run r = sft(text, tmp.resolve(name), "--tokenizer", tok.toString(), "--seed", name.equals("c") ? "8" : "7");
            assertThat(r.exit()).as(r.err()).isZero();
        }
        for (String file : List.of("manifest.json", "model.safetensors", "config.json", "generation_config.json", "tokenizer.json")) {
            assertThat(Files.readAllBytes(tmp.resolve("b").resolve(file))).as(file).isEqualTo(Files.readAllBytes(tmp.resolve("a").resolve(file)));
        }
        assertThat(Files.readAllBytes(tmp.resolve("c/model.safetensors"))).isNotEqualTo(Files.readAllBytes(tmp.resolve("a/model.safetensors")));
    }

    /** A tiny GPT-2 policy without tokenizer; {@code nan}: one embedding weight is NaN. */
    static Path policy(Path dir, int vocab, boolean nan) throws Exception {
        ModelConfig config = ModelConfig.parse(Fixtures.JSON.readTree("{\"model_type\": \"gpt2\", \"vocab_size\": " + vocab
                + ", \"n_positions\": 16, \"n_embd\": 16, \"n_layer\": 1, \"n_head\": 2, \"bos_token_id\": 1, \"eos_token_id\": 2}"), "test");
        try (NDManager nd = NDManager.newBaseManager(SftStep.ENGINE); CausalLM model = CausalLM.initialize(config, nd, 1);
                ArtifactWriter w = ArtifactWriter.create(dir, Schemas.POLICY, 1, "test")) {
            if (nan) {
                model.parameters().get("transformer.wte.weight").set(new NDIndex("3, 0"), Float.NaN);
            }
            PolicyArtifact.write(w.dir(), Checkpoint.of(model), Optional.empty());
            return w.commit();
        }
    }
}
