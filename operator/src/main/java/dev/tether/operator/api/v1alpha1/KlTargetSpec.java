package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tether.core.kl.KlUnit;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KlTargetSpec {
    @Required
    @Min(value = 0, inclusive = false)
    @JsonPropertyDescription("The KL target, in nats of the given unit (e.g. 6 kl_seq, as in Ziegler et al.).")
    public Double value;

    @Required
    @JsonPropertyDescription("kl_seq: summed over response tokens, mean over samples; kl_token: mean over response tokens.")
    public KlUnit unit;

    public KlTargetSpec() {
    }

    public KlTargetSpec(double value, KlUnit unit) {
        this.value = value;
        this.unit = unit;
    }
}
