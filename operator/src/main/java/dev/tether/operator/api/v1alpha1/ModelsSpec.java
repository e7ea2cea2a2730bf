package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelsSpec {
    @Required
    @Pattern(Uris.PATTERN)
    @JsonPropertyDescription("The starting policy checkpoint (Hugging Face layout), e.g. s3://bucket/policies/sft.")
    public String policyUri;

    @Required
    @Pattern(Uris.PATTERN)
    @JsonPropertyDescription("The reward model (ONNX sequence classifier and its reward config).")
    public String rewardModelUri;

    @Pattern(Uris.PATTERN)
    @JsonPropertyDescription("The frozen reference; by default the pipeline exports it from the starting policy.")
    public String referenceUri;
}
