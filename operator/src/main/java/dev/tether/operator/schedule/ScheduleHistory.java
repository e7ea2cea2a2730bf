package dev.tether.operator.schedule;

import dev.tether.operator.api.v1alpha1.Api;
import dev.tether.operator.api.v1alpha1.HistoryEntry;
import dev.tether.operator.api.v1alpha1.RLHFRun;
import dev.tether.operator.api.v1alpha1.RLHFRunStatus;
import dev.tether.operator.api.v1alpha1.RunPhase;
import dev.tether.operator.support.Conditions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A schedule's memory of its finished runs, newest first. It outlives the runs themselves: a run pruned
 * from the cluster stays in the history until newer runs push it out, so β can still be carried from it.
 */
public final class ScheduleHistory {

    /** Newest first: by finishing time, then by name (a run's name carries its tick). */
    static final Comparator<HistoryEntry> NEWEST_FIRST = Comparator
            .comparing((HistoryEntry e) -> Objects.requireNonNullElse(e.finishedAt, ""))
            .thenComparing(e -> e.name)
            .reversed();

    private ScheduleHistory() {
    }

    /** The entry for a finished run, from its status. */
    public static HistoryEntry entryOf(RLHFRun run) {
        RLHFRunStatus s = run.getStatus();
        HistoryEntry e = new HistoryEntry();
        e.name = run.getMetadata().getName();
        e.scheduledTime = run.getMetadata().getAnnotations() == null ? null
                : run.getMetadata().getAnnotations().get(Api.ANNOTATION_SCHEDULED_TIME);
        e.finishedAt = s.finishedAt;
        e.phase = s.phase;
        e.beta = s.betaUsed;
        e.finalBeta = s.finalBeta;
        e.kl = s.kl;
        e.reward = s.reward;
        e.goldReward = s.goldReward;
        e.promoted = s.promoted;
        e.reason = Conditions.reason(s.conditions, "Promoted");
        return e;
    }

    /**
     * The previous history with the observed finished runs folded in (an observed run replaces its old
     * entry), newest first, at most {@code limit} entries.
     */
    public static List<HistoryEntry> merge(List<HistoryEntry> previous, List<HistoryEntry> observed, int limit) {
        Map<String, HistoryEntry> byName = new LinkedHashMap<>();
        if (previous != null) {
            previous.forEach(e -> byName.put(e.name, e));
        }
        observed.forEach(e -> byName.put(e.name, e));
        return byName.values().stream().sorted(NEWEST_FIRST).limit(limit).collect(Collectors.toList());
    }

    /** Finished runs the history no longer keeps: the ones to delete. */
    public static List<RLHFRun> toPrune(List<RLHFRun> finished, List<HistoryEntry> history) {
        Set<String> kept = history.stream().map(e -> e.name).collect(Collectors.toSet());
        return finished.stream().filter(r -> !kept.contains(r.getMetadata().getName())).collect(Collectors.toList());
    }

    /** KL of up to {@code window} of the newest promoted runs: what the next run's jump test compares against. */
    public static List<Double> recentPromotedKl(List<HistoryEntry> history, int window) {
        List<Double> kls = new ArrayList<>();
        for (HistoryEntry e : history) {
            if (kls.size() == window) {
                break;
            }
            if (e.phase == RunPhase.Succeeded && Boolean.TRUE.equals(e.promoted) && e.kl != null) {
                kls.add(e.kl);
            }
        }
        return kls;
    }
}
