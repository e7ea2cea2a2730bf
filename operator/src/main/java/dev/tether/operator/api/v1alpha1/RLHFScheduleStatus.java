package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RLHFScheduleStatus {
    public SchedulePhase phase;
    public Long observedGeneration;
    @JsonPropertyDescription("Accepted (the spec) and LastRunPromoted, each with a reason.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The β the next run starts with.")
    public Double currentBeta;
    @JsonPropertyDescription("The run β was carried from (none: initialBeta).")
    public String betaSource;
    @JsonPropertyDescription("Why β is what it is: the run's KL against the target and the correction.")
    public String betaReason;
    @JsonPropertyDescription("KL of the last finished run, in the unit of the run template's klTarget.")
    public Double lastKL;
    @JsonPropertyDescription("RFC 3339: the tick the last run was started for.")
    public String lastScheduleTime;
    @JsonPropertyDescription("RFC 3339: the last tick handled (a run started, skipped or missed).")
    public String lastTickTime;
    @JsonPropertyDescription("RFC 3339.")
    public String nextScheduleTime;
    @JsonPropertyDescription("Runs of this schedule still going.")
    public List<String> active = new ArrayList<>();
    @JsonPropertyDescription("Finished runs, newest first, at most spec.historyLimit.")
    public List<HistoryEntry> history = new ArrayList<>();
}
