package dev.tether.steps.evaluate.artifact;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * evaluation.json: every number of one evaluation, the points of the earlier evaluations it was
 * given as history (so evaluations of successive checkpoints accumulate into one curve), and the
 * policy's training log (β and KL per PPO iteration).
 *
 * @param points the history's points, then this evaluation's own (the last), by iteration
 * @param klTarget null when the policy was not trained with an adaptive β
 */
public record Evaluation(
        @JsonProperty("label") String label,
        @JsonProperty("iteration") long iteration,
        @JsonProperty("policy") String policy,
        @JsonProperty("settings") EvaluationSettings settings,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("kl_target") KlTargetJson klTarget,
        @JsonProperty("points") List<EvaluationPoint> points,
        @JsonProperty("training_log") List<TrainingLogEntry> trainingLog) {

    public static final String FILE_NAME = "evaluation.json";
    public static final String SAMPLES_FILE_NAME = "samples.jsonl";

    public Evaluation {
        metrics = new TreeMap<>(metrics);
        points = List.copyOf(points);
        trainingLog = List.copyOf(trainingLog);
        if (points.isEmpty()) {
            throw new IllegalArgumentException(FILE_NAME + ": points: expected at least this evaluation's own point");
        }
    }

    /** This evaluation's own point. */
    public EvaluationPoint self() {
        return points.get(points.size() - 1);
    }

    public Optional<KlTargetJson> target() {
        return Optional.ofNullable(klTarget);
    }

    public boolean hasGold() {
        return metrics.containsKey(Metric.GOLD);
    }
}
