package dev.tether.steps.evaluate.artifact;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of samples.jsonl: a sampled response with its scores, so a reader can see what the
 * numbers were made of ("the coffee nice nice nice …" scoring 10 with the proxy).
 *
 * @param gold null without a gold scorer
 * @param klK1 Σ over the response's tokens of log π − log π_ref (nats)
 * @param klK3 Σ of the k3 estimate (nats)
 * @param entropy mean over the response's tokens (nats per token)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SampleRow(
        @JsonProperty("prompt_index") int promptIndex,
        @JsonProperty("prompt") String prompt,
        @JsonProperty("response") String response,
        @JsonProperty("response_ids") int[] responseIds,
        @JsonProperty("reward") double reward,
        @JsonProperty("gold") Double gold,
        @JsonProperty("kl_k1") double klK1,
        @JsonProperty("kl_k3") double klK3,
        @JsonProperty("entropy") double entropy,
        @JsonProperty("length") int length) {}
