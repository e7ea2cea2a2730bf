package dev.tether.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tether.core.beta.AcrossRunBeta;
import dev.tether.core.beta.KlTarget;
import dev.tether.core.kl.KlUnit;
import dev.tether.operator.api.v1alpha1.HistoryEntry;
import dev.tether.operator.api.v1alpha1.RunPhase;
import dev.tether.operator.schedule.ScheduleBeta;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleBetaTest {
    private static final AcrossRunBeta CARRY =
            new AcrossRunBeta(AcrossRunBeta.Mode.CARRY, 0.1, new KlTarget(6.0, KlUnit.KL_SEQ), 1.0, 0.01, 0.5);

    static HistoryEntry entry(String name, RunPhase phase, Double finalBeta, Double kl, boolean promoted, String reason) {
        HistoryEntry e = new HistoryEntry();
        e.name = name;
        e.phase = phase;
        e.beta = finalBeta;
        e.finalBeta = finalBeta;
        e.kl = kl;
        e.promoted = promoted;
        e.reason = reason;
        return e;
    }

    @Test
    void theFirstRunStartsFromInitialBeta() {
        ScheduleBeta.Carried c = ScheduleBeta.current(CARRY, List.of(), null);
        assertThat(c.beta()).isEqualTo(0.1);
        assertThat(c.source()).isNull();
    }

    @Test
    void betaIsCarriedFromTheNewestRunWithAnOutcome() {
        // β_final 0.2, KL 6.6 against 6 → e = +0.1 → 0.22; the failed run after it does not count.
        List<HistoryEntry> history = List.of(
                entry("r3", RunPhase.Failed, null, null, false, null),
                entry("r2", RunPhase.Succeeded, 0.2, 6.6, true, "WithinBudget"),
                entry("r1", RunPhase.Succeeded, 0.3, 3.0, true, "WithinBudget"));
        ScheduleBeta.Carried c = ScheduleBeta.current(CARRY, history, null);
        assertThat(c.beta()).isCloseTo(0.22, within(1e-12));
        assertThat(c.source()).isEqualTo("r2");
        assertThat(c.reason()).isEqualTo("carried from run r2: KL 6.6 vs target 6.0 kl_seq, e = +0.1, β_final 0.2 → 0.22");
    }

    @Test
    void aGatedRunCountsAsTheLargestOvershootWhateverItsKl() {
        List<HistoryEntry> history = List.of(entry("r2", RunPhase.Gated, 0.2, 1.0, false, "EvaluationFailed"));
        ScheduleBeta.Carried c = ScheduleBeta.current(CARRY, history, null);
        assertThat(c.beta()).isCloseTo(0.24, within(1e-12));
        assertThat(c.reason()).contains("not promoted (EvaluationFailed): e = +0.2");
    }

    @Test
    void theBoundsHold() {
        List<HistoryEntry> history = List.of(entry("r9", RunPhase.Succeeded, 0.48, 60.0, true, "WithinBudget"));
        assertThat(ScheduleBeta.current(CARRY, history, null).beta()).isEqualTo(0.5);
    }

    @Test
    void whenFailedRunsPushedEveryOutcomeOutTheCarriedBetaStays() {
        ScheduleBeta.Carried previous = new ScheduleBeta.Carried(0.33, "r1", "carried from run r1: …");
        List<HistoryEntry> history = List.of(entry("r3", RunPhase.Failed, null, null, false, null));
        assertThat(ScheduleBeta.current(CARRY, history, previous)).isEqualTo(previous);
    }

    @Test
    void aFixedPolicyAlwaysStartsFromInitialBeta() {
        AcrossRunBeta fixed = new AcrossRunBeta(AcrossRunBeta.Mode.FIXED, 0.05, null, 1.0, 0.0, 1.0);
        List<HistoryEntry> history = List.of(entry("r2", RunPhase.Gated, 0.2, 30.0, false, "KLOverBudget"));
        assertThat(ScheduleBeta.current(fixed, history, null).beta()).isEqualTo(0.05);
    }
}
