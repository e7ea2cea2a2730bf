package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RLHFRunStatus {
    public RunPhase phase;
    public Long observedGeneration;
    @JsonPropertyDescription("Accepted (the spec), Started (the Workflow), Complete, Promoted; each with a reason.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The Argo Workflow of this run.")
    public String workflowName;
    @JsonPropertyDescription("The β the run started with.")
    public Double betaUsed;
    @JsonPropertyDescription("The run's final KL, in the unit of spec.klTarget.")
    public Double kl;
    public Double reward;
    @JsonPropertyDescription("The gold reward, where the pipeline's evaluation has one.")
    public Double goldReward;
    @JsonPropertyDescription("Where the run's own β controller left β (β_final).")
    public Double finalBeta;
    @JsonPropertyDescription("Whether the policy may be promoted; the Promoted condition says why.")
    public Boolean promoted;
    @JsonPropertyDescription("RFC 3339.")
    public String startedAt;
    @JsonPropertyDescription("RFC 3339.")
    public String finishedAt;
}
