package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunTemplate {
    @JsonPropertyDescription("Labels for each run.")
    public Map<String, String> labels;

    @JsonPropertyDescription("Annotations for each run.")
    public Map<String, String> annotations;

    @Required
    @ValidationRule(value = "!has(self.beta)", message = "leave runTemplate.spec.beta out: the schedule sets β from betaPolicy")
    @JsonPropertyDescription("The spec of each run; the schedule sets beta and budget.recentKL.")
    public RLHFRunSpec spec;
}
