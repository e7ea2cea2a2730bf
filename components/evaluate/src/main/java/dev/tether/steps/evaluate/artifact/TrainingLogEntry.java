package dev.tether.steps.evaluate.artifact;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tether.core.kl.KlUnit;

/**
 * One PPO iteration as ppo-update logged it in the checkpoint's trainer_state.json: the β it used,
 * the β it handed on, the rollout's KL in both units and its mean proxy score.
 */
public record TrainingLogEntry(
        @JsonProperty("iteration") long iteration,
        @JsonProperty("beta") double beta,
        @JsonProperty("beta_next") double betaNext,
        @JsonProperty("kl_seq") double klSeq,
        @JsonProperty("kl_token") double klToken,
        @JsonProperty("score") double score) {

    public double kl(KlUnit unit) {
        return unit == KlUnit.KL_SEQ ? klSeq : klToken;
    }
}
