package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RLHFRunSpec {

    @Required
    @JsonPropertyDescription("The Argo WorkflowTemplate the run's Workflow is made from.")
    public WorkflowTemplateRef workflowTemplateRef;

    @JsonPropertyDescription("Further Workflow parameters (e.g. iterations), passed as they are. The operator sets beta, "
            + "kl_target, kl_target_unit and the URIs itself. Never credentials: reference Secrets from the "
            + "WorkflowTemplate or the service account.")
    public Map<String, String> parameters;

    @Required
    @JsonPropertyDescription("The models the pipeline starts from.")
    public ModelsSpec models;

    @Required
    @JsonPropertyDescription("The data the pipeline trains on.")
    public DataSpec data;

    @JsonPropertyDescription("The KL coefficient β the run starts with, or where it comes from. A schedule sets it.")
    public BetaSource beta;

    @Required
    @JsonPropertyDescription("The KL the run steers towards, with its unit.")
    public KlTargetSpec klTarget;

    @Required
    @JsonPropertyDescription("What a run may spend before it is refused promotion.")
    public BudgetSpec budget;

    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("The service account the Workflow runs as (its credentials come from there).")
    public String serviceAccountName;
}
