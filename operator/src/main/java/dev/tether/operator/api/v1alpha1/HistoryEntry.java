package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A finished run as the schedule remembers it, after the run itself may have been pruned. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryEntry {
    public String name;
    public String scheduledTime;
    public String finishedAt;
    public RunPhase phase;
    public Double beta;
    public Double finalBeta;
    public Double kl;
    public Double reward;
    public Double goldReward;
    public Boolean promoted;
    /** The reason of the run's Promoted condition (WithinBudget, KLOverBudget, …). */
    public String reason;
}
