package dev.tether.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RLHFScheduleSpec {
    @Required
    @Size(min = 1)
    @JsonPropertyDescription("Cron: minute hour day-of-month month day-of-week, or @hourly, @daily, @weekly, @monthly, "
            + "@yearly.")
    public String schedule;

    @JsonPropertyDescription("IANA time zone of the cron, e.g. Europe/Paris. Default: UTC.")
    public String timeZone;

    @Default("Forbid")
    @JsonPropertyDescription("A tick while a run still goes: Allow a second one, Forbid (skip the tick), Replace it.")
    public ConcurrencyPolicy concurrencyPolicy;

    @Min(0)
    @JsonPropertyDescription("A tick missed (operator down, schedule suspended) starts late only within this many "
            + "seconds. Unset: the latest missed tick always starts.")
    public Long startingDeadlineSeconds;

    @Default("10")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("How many finished runs the schedule keeps (status.history and the runs themselves).")
    public Integer historyLimit;

    @Default("5")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("How many recent promoted runs the KL jump test takes the median of.")
    public Integer jumpWindow;

    @Default("false")
    @JsonPropertyDescription("Start no new run; running ones go on.")
    public Boolean suspend;

    @Required
    @JsonPropertyDescription("Where each run's β comes from.")
    public BetaPolicySpec betaPolicy;

    @Required
    @JsonPropertyDescription("What each run is.")
    public RunTemplate runTemplate;
}
