package dev.tether.steps.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.CanonicalJson;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.tasks.reviews.GoldReward;
import dev.tether.tasks.reviews.ReviewVocab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo task's own gold ({@code gold_task=reviews}): {@link GoldReward#RECIPE} of prompt +
 * response — shared/DEMO-RECIPE.md's rule, where "but" joining two clauses of the same sentiment is
 * scored like "and" (the stricter {@link GoldReward#DEFAULT} scores it −1) — and whether it parses. It judges token ids of the review language, so the policy must
 * speak it: its tokenizer.json must map exactly the language's words to the language's ids.
 * Anything else would be scored, silently, as −2.
 */
final class ReviewsGold {
    private ReviewsGold() {}

    static void requireReviewTokenizer(Path policyDir) {
        Path file = policyDir.resolve(CheckpointReader.TOKENIZER);
        String expected = "gold_task=reviews: the policy must use the review language's tokenizer";
        if (!Files.exists(file)) {
            throw new ArtifactException(file + ": missing; " + expected + " (" + ReviewVocab.SIZE + " words)");
        }
        JsonNode vocab;
        try {
            vocab = CanonicalJson.mapper().readTree(Files.readAllBytes(file)).path("model").path("vocab");
        } catch (IOException e) {
            throw new ArtifactException(file + ": not JSON; " + expected);
        }
        List<String> words = ReviewVocab.words();
        if (!vocab.isObject() || vocab.size() != words.size()) {
            throw new ArtifactException(file + ": model.vocab has " + vocab.size() + " entries; " + expected + " (" + words.size() + " words)");
        }
        for (int id = 0; id < words.size(); id++) {
            JsonNode got = vocab.get(words.get(id));
            if (got == null || got.asInt(-1) != id) {
                throw new ArtifactException(file + ": model.vocab[\"" + words.get(id) + "\"]: expected " + id + ", found " + got + "; " + expected);
            }
        }
    }

    /** Gold of each sample: its prompt (without padding) and its response (up to the first EOS and beyond). */
    static double[] score(RolloutBatch r) {
        double[] out = new double[r.batch()];
        for (int b = 0; b < r.batch(); b++) {
            out[b] = GoldReward.RECIPE.scoreResponse(r.query(b), r.response(b));
        }
        return out;
    }

    static double grammaticalRate(RolloutBatch r) {
        int ok = 0;
        for (int b = 0; b < r.batch(); b++) {
            if (GoldReward.grammaticalResponse(r.query(b), r.response(b))) {
                ok++;
            }
        }
        return (double) ok / r.batch();
    }
}
