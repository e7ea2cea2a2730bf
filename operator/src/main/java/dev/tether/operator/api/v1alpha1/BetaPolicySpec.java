package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.betaMin) || !has(self.betaMax) || self.betaMin <= self.betaMax",
        message = "betaMin must be at most betaMax")
public class BetaPolicySpec {
    @Required
    @JsonPropertyDescription("fixed: every run starts from initialBeta. carry: β_next = clamp(β_final·(1 + gain·clip("
            + "KL/target − 1, ±0.2)), betaMin, betaMax), a gated run counting as +0.2.")
    public BetaMode mode;

    @Required
    @Min(0)
    @JsonPropertyDescription("β of the first run (and of every run, when fixed).")
    public Double initialBeta;

    @Default("1.0")
    @Min(value = 0, inclusive = false)
    @JsonPropertyDescription("How strongly a run's KL error moves β (1: Ziegler's proportional step).")
    public Double gain;

    @Default("0.0")
    @Min(0)
    public Double betaMin;

    @Default("10.0")
    @Min(0)
    public Double betaMax;
}
