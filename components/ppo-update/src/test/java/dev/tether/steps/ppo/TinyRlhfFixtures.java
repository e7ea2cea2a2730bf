package dev.tether.steps.ppo;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.formats.PromptsFile;
import dev.tether.core.formats.Schemas;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.onnx.BagOfWordsGraph;
import dev.tether.steps.reward.RewardConfig;
import dev.tether.steps.reward.RewardStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The smallest real inputs of an RLHF run, shared by the step and pipeline tests (test-jar): a
 * random 1-layer GPT-2 over 12 tokens (BOS 1, EOS 2), prompts given as token ids, and a bag-of-words
 * ONNX reward model that pays for token 5 and charges for token 6.
 */
public final class TinyRlhfFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyRlhfFixtures() {}

    public static Path policy(Path dir) throws Exception {
        ModelConfig config = ModelConfig.parse(JSON.readTree("""
                {"model_type": "gpt2", "vocab_size": 12, "n_positions": 32, "n_embd": 16, "n_layer": 1, "n_head": 2,
                 "bos_token_id": 1, "eos_token_id": 2, "tie_word_embeddings": true}"""), "test config");
        try (NDManager nd = NDManager.newBaseManager();
                CausalLM model = CausalLM.initialize(config, nd, 3);
                ArtifactWriter w = ArtifactWriter.create(dir, Schemas.POLICY, 1, "test")) {
            PolicyArtifact.write(w.dir(), Checkpoint.of(model), Optional.empty());
            w.commit();
        }
        return dir;
    }

    public static Path prompts(Path dir, int count) {
        try (ArtifactWriter w = ArtifactWriter.create(dir, Schemas.PROMPTS, 1, "test")) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                lines.add("{\"prompt\": \"p" + i + "\", \"prompt_ids\": [1, " + (3 + i % 4) + "]}");
            }
            w.writeText(PromptsFile.FILE_NAME, String.join("\n", lines) + "\n");
            w.commit();
        }
        return dir;
    }

    public static Path rewardModel(Path dir) throws Exception {
        float[] weights = new float[12];
        weights[5] = 1;
        weights[6] = -1;
        try (ArtifactWriter w = ArtifactWriter.create(dir, Schemas.REWARD_MODEL, 1, "test")) {
            BagOfWordsGraph.of(weights).write(w.dir().resolve(RewardStep.MODEL_FILE));
            w.writeJson(RewardConfig.FILE_NAME, JSON.readTree("{\"kind\": \"logit\", \"index\": 0}"));
            w.commit();
        }
        return dir;
    }
}
