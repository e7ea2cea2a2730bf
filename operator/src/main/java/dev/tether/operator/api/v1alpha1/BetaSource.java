package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.value) != has(self.fromSchedule)",
        message = "set exactly one of beta.value and beta.fromSchedule")
public class BetaSource {
    @Min(0)
    @JsonPropertyDescription("The KL coefficient β to start with.")
    public Double value;

    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Take the current β of this RLHFSchedule (same namespace) when the run starts; the run "
            + "does not join that schedule's history.")
    public String fromSchedule;

    public BetaSource() {
    }

    public static BetaSource of(double value) {
        BetaSource b = new BetaSource();
        b.value = value;
        return b;
    }
}
