package dev.tether.operator.run;

import dev.tether.operator.support.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a finished run may be promoted. It may not when its evaluation failed, when its KL is over
 * the budget, or when its KL jumps over maxJumpRatio times the median of recent promoted runs (a run
 * that drifted much further than its predecessors, even within budget, is a warning sign of reward
 * hacking). The first failed test gives the reason; the message lists every one, with the numbers.
 */
public final class RunGate {

    public static final String WITHIN_BUDGET = "WithinBudget";
    public static final String EVALUATION_FAILED = "EvaluationFailed";
    public static final String KL_OVER_BUDGET = "KLOverBudget";
    public static final String KL_JUMP = "KLJump";

    public record Verdict(boolean promoted, String reason, String message) {
    }

    private RunGate() {
    }

    public static Verdict decide(WorkflowOutputs out, RunSettings s) {
        String unit = s.target().unit().id();
        List<String> reasons = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        if (Boolean.FALSE.equals(out.evaluationPassed())) {
            reasons.add(EVALUATION_FAILED);
            messages.add("the evaluation failed (eval_passed=false)");
        }
        if (out.kl() > s.maxKL()) {
            reasons.add(KL_OVER_BUDGET);
            messages.add("KL " + Numbers.format(out.kl()) + " " + unit + " is over the budget maxKL " + Numbers.format(s.maxKL()) + " " + unit);
        }
        if (s.maxJumpRatio() != null && !s.recentKL().isEmpty()) {
            double median = median(s.recentKL());
            if (out.kl() > s.maxJumpRatio() * median) {
                reasons.add(KL_JUMP);
                messages.add("KL " + Numbers.format(out.kl()) + " " + unit + " is over maxJumpRatio " + Numbers.format(s.maxJumpRatio())
                        + " × the median " + Numbers.format(median) + " of the last " + s.recentKL().size() + " promoted runs");
            }
        }
        if (reasons.isEmpty()) {
            return new Verdict(true, WITHIN_BUDGET,
                    "KL " + Numbers.format(out.kl()) + " " + unit + " within maxKL " + Numbers.format(s.maxKL()) + " " + unit);
        }
        return new Verdict(false, reasons.get(0), "not promoted: " + String.join("; ", messages));
    }

    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
