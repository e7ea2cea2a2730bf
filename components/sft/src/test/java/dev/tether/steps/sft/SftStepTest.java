package dev.tether.steps.sft;

import static dev.tether.steps.sft.Fixtures.BOS;
import static dev.tether.steps.sft.Fixtures.EOS;
import static dev.tether.steps.sft.Fixtures.id;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.formats.Schemas;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.config.GenerationConfig;
import dev.tether.models.generate.Generation;
import dev.tether.models.generate.Generator;
import dev.tether.models.generate.SamplingParams;
import dev.tether.step.StepRunner;
import dev.tether.steps.sft.data.TokenizerInput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step learns: on a small corpus the loss falls far below where it starts (ln V for a fresh
 * model) and below the corpus's unigram entropy (so it learned more than word frequencies), and
 * greedy decoding of the trained checkpoint reproduces the memorised sentence.
 */
class SftStepTest {
    @TempDir
    Path tmp;

    static final Map<String, String> TINY = Map.of("n_layer", "1", "n_embd", "32", "n_head", "2", "n_inner", "64",
            "steps", "150", "batch_size", "16", "learning_rate", "1e-2", "warmup_steps", "10", "seed", "3");

    StepRunner.Result run(Map<String, Path> inputs, Path out, Map<String, String> params) throws Exception {
        Map<String, String> all = new HashMap<>(TINY);
        all.putAll(params);
        return StepRunner.run(new SftStep(), new StepRunner.Invocation(inputs, Map.of("policy", out), all, List.of(),
                new PrintStream(new ByteArrayOutputStream()), false));
    }

    @Test
    void lossFallsBelowTheUnigramEntropyAndTheMemorisedSentenceComesBack() throws Exception {
        List<String> lines = Fixtures.corpus(60, 1);
        Path text = Fixtures.text(tmp.resolve("text"), lines);
        Path tokenizer = Fixtures.tokenizer(tmp.resolve("tokenizer"));
        Path out = tmp.resolve("policy");
        StepRunner.Result r = run(Map.of("text", text, "tokenizer", tokenizer), out, Map.of());

        double loss = (Double) r.outputParameters().get("loss");
        double evalLoss = (Double) r.outputParameters().get("eval_loss");
        double first = r.metrics().get("first_batch_loss");
        double unigram = unigramEntropy(lines);
        // A fresh model with N(0, 0.02²) weights predicts nearly uniformly: ln 16 = 2.77.
        assertThat(first).isCloseTo(Math.log(Fixtures.WORDS.size()), org.assertj.core.api.Assertions.within(0.15));
        assertThat(loss).as("final loss vs first %s", first).isLessThan(first - 1.5);
        assertThat(loss).as("final loss vs unigram entropy %s", unigram).isLessThan(unigram - 0.8);
        assertThat(evalLoss).as("eval loss vs unigram entropy %s", unigram).isLessThan(unigram - 0.5);
        assertThat(r.metrics()).containsKeys("last_batch_loss", "train_sequences", "eval_sequences", "trained_tokens", "parameters");
        assertThat(r.metrics().get("eval_sequences")).isEqualTo(6.0);
        System.out.printf("sft: first %.4f, final %.4f, eval %.4f, unigram entropy %.4f%n", first, loss, evalLoss, unigram);

        // The checkpoint: a plain policy with the tokenizer, special ids, no value head, no optimizer.
        ArtifactReader policy = ArtifactReader.open(out, Schemas.POLICY, 1);
        assertThat(policy.manifest().files().keySet()).containsExactlyInAnyOrder("config.json", "model.safetensors",
                "generation_config.json", "tokenizer.json", "special_tokens_map.json");
        assertThat(Files.readAllBytes(out.resolve("tokenizer.json"))).isEqualTo(Files.readAllBytes(tokenizer.resolve(TokenizerInput.TOKENIZER_JSON)));
        GenerationConfig gen = GenerationConfig.read(out.resolve("generation_config.json"));
        assertThat(gen.bosTokenId()).hasValue(BOS);
        assertThat(gen.eosTokenIds()).containsExactly(EOS);
        assertThat(gen.padTokenId()).hasValue(Fixtures.PAD);
        try (NDManager nd = NDManager.newBaseManager(SftStep.ENGINE); Checkpoint c = PolicyArtifact.readPolicy(out, nd)) {
            assertThat(c.valueHead()).isEmpty();
            assertThat(c.optimizer()).isEmpty();
            assertThat(c.model().config().eosTokenId()).hasValue(EOS);
            SamplingParams greedy = SamplingParams.from(gen, 8, 0).withGreedy(true).withStopTokens(Set.of(EOS));
            Generation g = Generator.generate(c.model(), List.of(new int[] {BOS, id("one")}), greedy);
            assertThat(g.responseIds()).containsExactly(id("two"), id("three"), id("four"), EOS);
        }
    }

    @Test
    void tokenIdsWithoutATokenizerAndALlamaModel() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add("{\"ids\": [1, 11, 12, 13, 14, 2]}");
            lines.add("{\"ids\": [1, 3, " + (4 + i % 2) + ", " + (6 + (i / 2) % 2) + ", 15, 2]}");
        }
        Path text = Fixtures.text(tmp.resolve("ids"), lines);
        Path out = tmp.resolve("llama");
        StepRunner.Result r = run(Map.of("text", text), out, Map.of("model_type", "llama", "vocab_size", "16",
                "eos_token_id", "2", "bos_token_id", "1", "steps", "80"));
        double first = r.metrics().get("first_batch_loss");
        assertThat((Double) r.outputParameters().get("loss")).as("first %s", first).isLessThan(first - 1.5);
        ArtifactReader policy = ArtifactReader.open(out, Schemas.POLICY, 1);
        assertThat(policy.manifest().files()).doesNotContainKey("tokenizer.json");
        try (NDManager nd = NDManager.newBaseManager(SftStep.ENGINE); Checkpoint c = PolicyArtifact.readPolicy(out, nd)) {
            assertThat(c.model().config().modelType()).isEqualTo("llama");
            assertThat(c.generationConfig().orElseThrow().padTokenId()).hasValue(EOS); // no pad known: EOS pads
        }
    }

    @Test
    void aStartingPolicyStartsWhereItLeftOff() throws Exception {
        Path text = Fixtures.text(tmp.resolve("text"), Fixtures.corpus(60, 1));
        Path tokenizer = Fixtures.tokenizer(tmp.resolve("tokenizer"));
        StepRunner.Result first = run(Map.of("text", text, "tokenizer", tokenizer), tmp.resolve("p1"), Map.of());
        // One more step at a tiny rate from p1: its first batch already has p1's low loss, and p1's tokenizer travels.
        StepRunner.Result second = run(Map.of("text", text, "init_policy", tmp.resolve("p1")), tmp.resolve("p2"),
                Map.of("steps", "1", "warmup_steps", "0", "learning_rate", "1e-6"));
        assertThat(second.metrics().get("first_batch_loss")).isLessThan(first.metrics().get("first_batch_loss") - 1.5);
        assertThat((Double) second.outputParameters().get("loss")).isCloseTo((Double) first.outputParameters().get("loss"),
                org.assertj.core.api.Assertions.within(0.02));
        assertThat(Files.readAllBytes(tmp.resolve("p2/tokenizer.json"))).isEqualTo(Files.readAllBytes(tokenizer.resolve("tokenizer.json")));
    }

    /** −Σ p log p of the tokens the model predicts (every token after the first, EOS appended). */
    static double unigramEntropy(List<String> lines) {
        Map<String, Integer> counts = new HashMap<>();
        int total = 0;
        for (String line : lines) {
            String text;
            try {
                text = Fixtures.JSON.readTree(line).get("text").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            List<String> targets = new ArrayList<>(List.of(text.split(" ")));
            targets.add("<eos>");
            for (String t : targets) {
                counts.merge(t, 1, Integer::sum);
                total++;
            }
        }
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / total;
            h -= p * Math.log(p);
        }
        return h;
    }
}
