package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataSpec {
    @Required
    @Pattern(Uris.PATTERN)
    @JsonPropertyDescription("The prompts (JSONL, one {\"prompt\": ...} a line).")
    public String promptsUri;
}
