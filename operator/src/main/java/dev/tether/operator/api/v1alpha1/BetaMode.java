package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum BetaMode {
    /** Every run starts from betaPolicy.initialBeta. */
    @JsonProperty("fixed")
    FIXED,
    /** Each run starts from the last run's final β, corrected by its KL against the target. */
    @JsonProperty("carry")
    CARRY
}
