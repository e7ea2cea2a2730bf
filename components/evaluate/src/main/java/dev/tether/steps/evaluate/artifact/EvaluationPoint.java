package dev.tether.steps.evaluate.artifact;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One evaluated checkpoint: a point of the over-optimization curve (proxy and gold reward against
 * KL, Gao et al. 2022).
 *
 * @param label the arm it belongs to ("beta-0", "beta-adaptive", "base")
 * @param iteration PPO iterations behind the checkpoint (0: the base model)
 * @param policy the checkpoint artifact's digest
 */
public record EvaluationPoint(
        @JsonProperty("label") String label,
        @JsonProperty("iteration") long iteration,
        @JsonProperty("policy") String policy,
        @JsonProperty("metrics") Map<String, Double> metrics) {

    public EvaluationPoint {
        metrics = new TreeMap<>(metrics);
    }

    public Optional<Double> metric(String name) {
        return Optional.ofNullable(metrics.get(name));
    }

    /** A metric every point has (reward, KL); the error names the point. */
    public double require(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("evaluation point " + label + " iteration " + iteration + ": no metric '" + name
                    + "'; found " + metrics.keySet());
        }
        return v;
    }
}
