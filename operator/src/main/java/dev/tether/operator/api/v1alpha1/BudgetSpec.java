package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BudgetSpec {
    @Required
    @Min(value = 0, inclusive = false)
    @JsonPropertyDescription("A run whose final KL (in the target's unit) is over this is not promoted.")
    public Double maxKL;

    @Min(1)
    @JsonPropertyDescription("A run whose KL is over this many times the median KL of recent promoted runs is not "
            + "promoted. Unset: no jump test.")
    public Double maxJumpRatio;

    @JsonPropertyDescription("KL of recent promoted runs, which the jump test takes the median of. A schedule fills it "
            + "in when it creates the run.")
    public List<Double> recentKL;

    @Min(1)
    @JsonPropertyDescription("Wall-clock limit for the Workflow, in seconds.")
    public Long activeDeadlineSeconds;
}
