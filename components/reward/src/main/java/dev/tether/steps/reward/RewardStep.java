package dev.tether.steps.reward;

import static dev.tether.step.ParameterSpec.optional;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.core.formats.SequenceScores;
import dev.tether.models.onnx.OnnxScorer;
import dev.tether.models.onnx.TokenBatch;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Resources;
import dev.tether.step.Sharding;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Scores each (prompt, response) with an ONNX sequence classifier on ONNX Runtime — any Hugging
 * Face-style export with inputs {@code input_ids}, {@code attention_mask} and output {@code logits}
 * [batch, labels] — turned into one number by the artifact's {@code reward_config.json}. The reward
 * model reads the rollout's token ids as they are, so its tokenizer must be the policy's: a
 * different one is refused, naming both digests.
 */
public final class RewardStep implements Step {
    public static final String MODEL_FILE = "model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    public static final StepDefinition DEFINITION = StepDefinition.builder("reward")
            .description("Score the rollout's responses with an ONNX reward model.")
            .input(ArtifactPort.of("rollout", Schemas.ROLLOUT, ArtifactKind.DATASET, "The sampled responses."))
            .input(ArtifactPort.of("reward_model", Schemas.REWARD_MODEL, ArtifactKind.MODEL, "model.onnx, tokenizer.json, reward_config.json."))
            .output(ArtifactPort.of("scores", Schemas.SCORES, ArtifactKind.DATASET, "One score per response."))
            .parameter(optional("batch_size", ParamType.INT, "32", "Rows scored together."))
            // Scores every row it is given; the shard parameters only label its output, so that
            // merge-scores orders a fan-out's scores as merge-rollout orders its rollouts.
            .parameter(Sharding.parameters().get(0))
            .parameter(Sharding.parameters().get(1))
            .outputParameter("score", ParamType.DOUBLE, "Mean score.")
            .resources(Resources.cpu("2", "1Gi"))
            .build();

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        ArtifactReader rm = ctx.input("reward_model");
        RewardConfig config = RewardConfig.read(rm.file(RewardConfig.FILE_NAME));
        RolloutBatch r;
        String policyTokenizer;
        try (SafetensorsFile f = ctx.input("rollout").safetensors(RolloutBatch.FILE_NAME)) {
            r = RolloutBatch.read(f);
            policyTokenizer = f.metadata().getOrDefault("tokenizer_sha256", "none");
        }
        Path tokenizer = rm.dir().resolve(TOKENIZER_FILE);
        String rewardTokenizer = Files.exists(tokenizer)
                ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tokenizer)))
                : "none";
        if (!rewardTokenizer.equals(policyTokenizer)) {
            throw new ArtifactException("reward model " + rm.dir() + ": its tokenizer.json (sha256 " + rewardTokenizer
                    + ") is not the policy's (sha256 " + policyTokenizer + "); the reward model would read the token ids as other words");
        }
        float[] scores = new float[r.batch()];
        Path model = rm.file(MODEL_FILE);
        try (OnnxScorer scorer = OnnxScorer.load(model, Map.of(OnnxScorer.ROWS_PER_RUN, Long.toString(Math.max(1, ctx.integer("batch_size")))))) {
            if (scorer.signature().logitsRank() != 2) {
                throw new ArtifactException(model + ": logits: expected [batch, labels] (a sequence classifier), found rank " + scorer.signature().logitsRank());
            }
            float[][] logits = scorer.sequenceLogits(TokenBatch.queryThenResponse(r));
            for (int b = 0; b < r.batch(); b++) {
                scores[b] = config.reward(logits[b], model);
                if (!Float.isFinite(scores[b])) {
                    throw new ArtifactException(model + ": score of sample " + b + " is " + scores[b] + " (expected a finite number)");
                }
            }
        }
        try (ArtifactWriter w = ctx.writer("scores")) {
            w.writeSafetensors(SequenceScores.SCORES_FILE, List.of(SequenceScores.scores(scores)));
            w.commit();
        }
        double mean = 0;
        for (float s : scores) {
            mean += s;
        }
        ctx.outputParameter("score", mean / scores.length);
    }
}
