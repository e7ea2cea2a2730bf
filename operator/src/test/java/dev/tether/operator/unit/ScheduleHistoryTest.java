package dev.tether.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.operator.api.v1alpha1.HistoryEntry;
import dev.tether.operator.api.v1alpha1.RLHFRun;
import dev.tether.operator.api.v1alpha1.RunPhase;
import dev.tether.operator.schedule.ScheduleHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleHistoryTest {

    static HistoryEntry entry(String name, String finishedAt, RunPhase phase, Double kl) {
        HistoryEntry e = ScheduleBetaTest.entry(name, phase, 0.1, kl, phase == RunPhase.Succeeded, null);
        e.finishedAt = finishedAt;
        return e;
    }

    @Test
    void mergeKeepsTheNewestFirstUpToTheLimitAndAnObservedRunReplacesItsEntry() {
        List<HistoryEntry> previous = List.of(
                entry("r2", "2026-03-10T02:00:00Z", RunPhase.Succeeded, 6.0),
                entry("r1", "2026-03-10T01:00:00Z", RunPhase.Succeeded, 5.0));
        HistoryEntry r2Again = entry("r2", "2026-03-10T02:00:00Z", RunPhase.Succeeded, 6.5);
        List<HistoryEntry> merged = ScheduleHistory.merge(previous,
                List.of(entry("r3", "2026-03-10T03:00:00Z", RunPhase.Gated, 20.0), r2Again), 2);
        assertThat(merged).extracting(e -> e.name).containsExactly("r3", "r2");
        assertThat(merged.get(1).kl).isEqualTo(6.5);
    }

    @Test
    void runsOutsideTheHistoryArePruned() {
        RLHFRun kept = new RLHFRun();
        kept.getMetadata().setName("r3");
        RLHFRun old = new RLHFRun();
        old.getMetadata().setName("r1");
        List<HistoryEntry> history = List.of(entry("r3", "2026-03-10T03:00:00Z", RunPhase.Succeeded, 6.0));
        assertThat(ScheduleHistory.toPrune(List.of(kept, old), history)).containsExactly(old);
    }

    @Test
    void theJumpTestComparesWithRecentPromotedRunsOnly() {
        List<HistoryEntry> history = List.of(
                entry("r5", "5", RunPhase.Gated, 40.0),
                entry("r4", "4", RunPhase.Succeeded, 6.0),
                entry("r3", "3", RunPhase.Failed, null),
                entry("r2", "2", RunPhase.Succeeded, 5.0),
                entry("r1", "1", RunPhase.Succeeded, 4.0));
        assertThat(ScheduleHistory.recentPromotedKl(history, 2)).containsExactly(6.0, 5.0);
        assertThat(ScheduleHistory.recentPromotedKl(history, 10)).containsExactly(6.0, 5.0, 4.0);
    }
}
