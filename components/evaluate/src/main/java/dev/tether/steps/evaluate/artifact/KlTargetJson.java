package dev.tether.steps.evaluate.artifact;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tether.core.kl.KlUnit;

/** The adaptive β controller's KL target, with its unit, as the training log had it. */
public record KlTargetJson(@JsonProperty("value") double value, @JsonProperty("unit") String unit) {
    public KlTargetJson {
        KlUnit.parse(unit);
    }

    public KlUnit klUnit() {
        return KlUnit.parse(unit);
    }
}
