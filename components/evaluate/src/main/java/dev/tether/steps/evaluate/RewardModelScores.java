package dev.tether.steps.evaluate;

import dev.tether.models.onnx.TokenBatch;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.models.onnx.OnnxScorer;
import dev.tether.steps.reward.RewardConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * One score per sample from an ONNX reward model artifact (model.onnx, reward_config.json,
 * tokenizer.json), exactly as the reward step scores a rollout: the proxy the policy was trained
 * against, or a second model standing in as the gold.
 */
final class RewardModelScores {
    static final String MODEL_FILE = "model.onnx";

    private RewardModelScores() {}

    /**
     * Refuses, before any sampling, a reward model with another tokenizer than the policy's or
     * without a readable reward_config.json.
     *
     * @param role "reward_model" or "gold_model": the input named in errors
     */
    static RewardConfig check(String role, ArtifactReader rm, String policyTokenizer) {
        String rmTokenizer = TokenizerDigest.of(rm.dir());
        if (!rmTokenizer.equals(policyTokenizer)) {
            throw new ArtifactException(role + " " + rm.dir() + ": its tokenizer.json (sha256 " + rmTokenizer
                    + ") is not the policy's (sha256 " + policyTokenizer + "); it would read the token ids as other words");
        }
        rm.file(MODEL_FILE);
        return RewardConfig.read(rm.file(RewardConfig.FILE_NAME));
    }

    /** One score per sample of {@code r}. */
    static float[] score(ArtifactReader rm, RewardConfig config, RolloutBatch r, int batchSize) {
        Path model = rm.file(MODEL_FILE);
        float[] scores = new float[r.batch()];
        try (OnnxScorer scorer = OnnxScorer.load(model, Map.of(OnnxScorer.ROWS_PER_RUN, Integer.toString(batchSize)))) {
            if (scorer.signature().logitsRank() != 2) {
                throw new ArtifactException(model + ": logits: expected [batch, labels] (a sequence classifier), found rank "
                        + scorer.signature().logitsRank());
            }
            float[][] logits = scorer.sequenceLogits(TokenBatch.queryThenResponse(r));
            for (int b = 0; b < r.batch(); b++) {
                scores[b] = config.reward(logits[b], model);
                if (!Float.isFinite(scores[b])) {
                    throw new ArtifactException(model + ": score of sample " + b + " is " + scores[b] + " (expected a finite number)");
                }
            }
        }
        return scores;
    }
}
