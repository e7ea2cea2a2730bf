package dev.tether.steps.evaluate;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.formats.PromptsFile;
import dev.tether.core.formats.Schemas;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.checkpoint.TrainerState;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.onnx.BagOfWordsGraph;
import dev.tether.models.onnx.OnnxExport;
import dev.tether.step.Step;
import dev.tether.step.StepCli;
import dev.tether.steps.reward.RewardConfig;
import dev.tether.tasks.reviews.HfTokenizerFiles;
import dev.tether.tasks.reviews.ReviewVocab;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Tiny artifacts for the tests: random GPT-2 policies, prompts, bag-of-words ONNX reward models. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    record Run(int exit, String err) {}

    static Run step(Step step, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StepCli.execute(step, args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    static ModelConfig config(int vocab) throws Exception {
        return ModelConfig.parse(JSON.readTree("""
                {"model_type": "gpt2", "vocab_size": %d, "n_positions": 32, "n_embd": 16, "n_layer": 1, "n_head": 2,
                 "bos_token_id": 1, "eos_token_id": 2, "tie_word_embeddings": true}""".formatted(vocab)), "test config");
    }

    /**
     * A random policy; with {@code reviews}, it speaks the review language (65 tokens and its
     * tokenizer.json); with {@code trainerState}, it carries a ppo-update trainer state.
     */
    static Path policy(Path dir, int vocab, long seed, boolean reviews, JsonNode trainerBeta, long iteration) throws Exception {
        try (NDManager nd = NDManager.newBaseManager();
                CausalLM model = CausalLM.initialize(config(vocab), nd, seed);
                ArtifactWriter w = ArtifactWriter.create(dir, Schemas.POLICY, 1, "test")) {
            Checkpoint c = Checkpoint.of(model);
            if (trainerBeta != null) {
                c = c.withTrainerState(new TrainerState(iteration, 5, trainerBeta));
            }
            PolicyArtifact.write(w.dir(), c, Optional.empty());
            if (reviews) {
                HfTokenizerFiles.write(w.dir());
            }
            w.commit();
        }
        return dir;
    }

    static Path policy(Path dir, long seed) throws Exception {
        return policy(dir, 12, seed, false, null, 0);
    }

    static Path reviewPolicy(Path dir, long seed) throws Exception {
        return policy(dir, ReviewVocab.SIZE, seed, true, null, 0);
    }

    /** An adaptive-β training log of {@code n} iterations, KL rising to the target 2. */
    static JsonNode trainingLog(int n) throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < n; i++) {
            log.append(i == 0 ? "" : ",").append("""
                    {"iteration": %d, "beta": %s, "beta_next": %s, "kl_seq": %s, "kl_token": %s, "score": %s}"""
                    .formatted(i, 0.1 + 0.01 * i, 0.1 + 0.01 * (i + 1), 0.5 * i, 0.05 * i, 0.1 * i));
        }
        return JSON.readTree("""
                {"controller": {"type": "adaptive", "beta": %s, "target": {"value": 2.0, "unit": "kl_seq"}, "horizon": 64.0, "updates": %d},
                 "recent_kl": [], "log": [%s]}""".formatted(0.1 + 0.01 * n, n, log));
    }

    /** prompts.jsonl; ids given, so no tokenizer is needed. */
    static Path prompts(Path dir, List<int[]> ids) throws Exception {
        try (ArtifactWriter w = ArtifactWriter.create(dir, Schemas.PROMPTS, 1, "test")) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < ids.size(); i++) {
                s.append("{\"prompt\": \"p").append(i).append("\", \"prompt_ids\": ").append(JSON.writeValueAsString(ids.get(i))).append("}\n");
            }
            w.writeText(PromptsFile.FILE_NAME, s.toString());
            w.commit();
        }
        return dir;
    }

    static Path rawPrompts(Path dir, String text) throws Exception {
        try (ArtifactWriter w = ArtifactWriter.create(dir, Schemas.PROMPTS, 1, "test")) {
            w.writeText(PromptsFile.FILE_NAME, text);
            w.commit();
        }
        return dir;
    }

    /**
     * A bag-of-words reward model: the sum of the weights of every token of prompt + response.
     * With {@code tokenizerFrom}, it carries that folder's tokenizer.json.
     */
    static Path rewardModel(Path dir, float[] weights, Path tokenizerFrom) throws Exception {
        try (ArtifactWriter w = ArtifactWriter.create(dir, Schemas.REWARD_MODEL, 1, "test")) {
            BagOfWordsGraph.of(weights).write(w.dir().resolve(RewardModelScores.MODEL_FILE));
            w.writeJson(RewardConfig.FILE_NAME, JSON.readTree("{\"kind\": \"logit\", \"index\": 0}"));
            if (tokenizerFrom != null) {
                Files.copy(tokenizerFrom.resolve(CheckpointReader.TOKENIZER), w.dir().resolve(CheckpointReader.TOKENIZER));
            }
            w.commit();
        }
        return dir;
    }

    /** The policy exported to ONNX as a reference artifact. */
    static Path onnxReference(Path dir, Path policy) throws Exception {
        try (ArtifactWriter w = ArtifactWriter.create(dir, Schemas.REFERENCE_MODEL, 1, "test")) {
            OnnxExport.checkpoint(policy, w.dir().resolve(ReferenceLogprobs.MODEL_FILE));
            if (Files.exists(policy.resolve(CheckpointReader.TOKENIZER))) {
                Files.copy(policy.resolve(CheckpointReader.TOKENIZER), w.dir().resolve(CheckpointReader.TOKENIZER));
            }
            w.commit();
        }
        return dir;
    }
}
