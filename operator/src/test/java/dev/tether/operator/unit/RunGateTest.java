package dev.tether.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.core.beta.KlTarget;
import dev.tether.core.kl.KlUnit;
import dev.tether.operator.run.RunGate;
import dev.tether.operator.run.RunSettings;
import dev.tether.operator.run.WorkflowOutputs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunGateTest {

    private static RunSettings budget(double maxKL, Double maxJumpRatio, List<Double> recent) {
        return new RunSettings("tether-rlhf-ppo", false, 0.1, null, new KlTarget(6, KlUnit.KL_SEQ), Map.of(), maxKL,
                maxJumpRatio, recent, null, null);
    }

    private static WorkflowOutputs kl(double kl, Boolean evalPassed) {
        return new WorkflowOutputs(kl, 1.0, null, null, evalPassed);
    }

    @Test
    void withinBudgetIsPromoted() {
        RunGate.Verdict v = RunGate.decide(kl(11.9, true), budget(12, 2.0, List.of(6.0, 7.0)));
        assertThat(v.promoted()).isTrue();
        assertThat(v.reason()).isEqualTo("WithinBudget");
        assertThat(v.message()).isEqualTo("KL 11.9 kl_seq within maxKL 12 kl_seq");
    }

    @Test
    void overTheBudgetIsNotPromoted() {
        RunGate.Verdict v = RunGate.decide(kl(12.01, null), budget(12, null, List.of()));
        assertThat(v.promoted()).isFalse();
        assertThat(v.reason()).isEqualTo("KLOverBudget");
        assertThat(v.message()).isEqualTo("not promoted: KL 12.01 kl_seq is over the budget maxKL 12 kl_seq");
    }

    @Test
    void aJumpOverTheMedianOfRecentRunsIsNotPromotedEvenWithinBudget() {
        // median(4, 5, 9) = 5; 2 × 5 = 10 < 10.5
        RunGate.Verdict v = RunGate.decide(kl(10.5, null), budget(12, 2.0, List.of(9.0, 4.0, 5.0)));
        assertThat(v.reason()).isEqualTo("KLJump");
        assertThat(v.message()).isEqualTo("not promoted: KL 10.5 kl_seq is over maxJumpRatio 2 × the median 5 of the last 3 promoted runs");
        assertThat(RunGate.decide(kl(10.0, null), budget(12, 2.0, List.of(9.0, 4.0, 5.0))).promoted()).isTrue();
        assertThat(RunGate.decide(kl(10.5, null), budget(12, 2.0, List.of())).promoted()).as("no history, no jump test").isTrue();
    }

    @Test
    void aFailedEvaluationIsNotPromotedAndEveryFailedTestIsListed() {
        RunGate.Verdict v = RunGate.decide(kl(13, false), budget(12, null, List.of()));
        assertThat(v.reason()).isEqualTo("EvaluationFailed");
        assertThat(v.message()).contains("the evaluation failed (eval_passed=false)").contains("over the budget maxKL 12");
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(RunGate.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(RunGate.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
