package dev.tether.steps.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.core.artifact.ArtifactException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a sequence classifier's logits become one reward ({@code reward_config.json}): one logit
 * ({@code {"kind": "logit", "index": 0}}, a Bradley–Terry head) or the difference of two
 * ({@code {"kind": "difference", "positive": 1, "negative": 0}}, a two-class sentiment head), then
 * optionally {@code (r − mean)/std} so scores from different reward models share a scale.
 */
public record RewardConfig(String kind, int index, int positive, int negative, double mean, double std) {
    public static final String FILE_NAME = "reward_config.json";

    public static RewardConfig logit(int index) {
        return new RewardConfig("logit", index, 0, 0, 0, 1);
    }

    public static RewardConfig read(Path file) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ArtifactException(file + ": missing or not JSON (expected {\"kind\": \"logit\", \"index\": 0} or {\"kind\": \"difference\", \"positive\": 1, \"negative\": 0})");
        }
        String kind = n.path("kind").asText("");
        JsonNode norm = n.path("normalize");
        double mean = norm.path("mean").asDouble(0);
        double std = norm.path("std").asDouble(1);
        if (!(std > 0) || !Double.isFinite(mean)) {
            throw new ArtifactException(file + ": normalize: expected a finite mean and std > 0, got " + norm);
        }
        return switch (kind) {
            case "logit" -> new RewardConfig(kind, index(file, n, "index"), 0, 0, mean, std);
            case "difference" -> new RewardConfig(kind, 0, index(file, n, "positive"), index(file, n, "negative"), mean, std);
            default -> throw new ArtifactException(file + ": kind: expected \"logit\" or \"difference\", got \"" + kind + "\"");
        };
    }

    /** The reward from one row of logits; the error names the logit that is missing. */
    public float reward(float[] logits, Path source) {
        int needed = kind.equals("logit") ? index : Math.max(positive, negative);
        if (needed >= logits.length) {
            throw new ArtifactException(source + ": reward_config asks for logit " + needed + " but the model outputs " + logits.length);
        }
        double r = kind.equals("logit") ? logits[index] : logits[positive] - logits[negative];
        return (float) ((r - mean) / std);
    }

    private static int index(Path file, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt() || v.asInt() < 0) {
            throw new ArtifactException(file + ": " + field + ": expected a logit index ≥ 0, got " + v);
        }
        return v.asInt();
    }
}
