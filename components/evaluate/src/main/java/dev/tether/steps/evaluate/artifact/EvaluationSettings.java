package dev.tether.steps.evaluate.artifact;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tether.core.kl.KlEstimator;
import dev.tether.core.kl.KlUnit;

/**
 * How an evaluation was made, so a reader of the report knows what the numbers mean.
 *
 * @param gold "none", "reviews" (the demo task's own gold) or "model" (a second ONNX reward model)
 * @param klEstimator the estimator of the reported {@code kl} ("k1" or "k3")
 * @param klUnit the unit of the reported {@code kl} ("kl_seq" or "kl_token")
 */
public record EvaluationSettings(
        @JsonProperty("num_prompts") int numPrompts,
        @JsonProperty("samples_per_prompt") int samplesPerPrompt,
        @JsonProperty("max_new_tokens") int maxNewTokens,
        @JsonProperty("temperature") double temperature,
        @JsonProperty("seed") long seed,
        @JsonProperty("gold") String gold,
        @JsonProperty("kl_estimator") String klEstimator,
        @JsonProperty("kl_unit") String klUnit) {

    /** The metric the reported {@code kl} is, e.g. {@code kl_k1_seq}. */
    public String klMetric() {
        return Metric.kl(KlEstimator.parse("kl_estimator", klEstimator), KlUnit.parse(klUnit));
    }
}
