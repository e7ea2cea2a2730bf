package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkflowTemplateRef {
    @Required
    @Pattern("^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the WorkflowTemplate in the run's namespace, e.g. tether-rlhf-ppo.")
    public String name;

    @JsonPropertyDescription("Refer to a ClusterWorkflowTemplate instead.")
    public Boolean clusterScope;

    public WorkflowTemplateRef() {
    }

    public WorkflowTemplateRef(String name) {
        this.name = name;
    }
}
