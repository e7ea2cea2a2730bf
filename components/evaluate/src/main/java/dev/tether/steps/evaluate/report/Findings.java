package dev.tether.steps.evaluate.report;

import dev.tether.core.kl.KlUnit;
import dev.tether.steps.evaluate.artifact.EvaluationPoint;
import dev.tether.steps.evaluate.artifact.KlTargetJson;
import dev.tether.steps.evaluate.artifact.Metric;
import dev.tether.steps.evaluate.artifact.TrainingLogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the numbers say, in sentences that carry them: for each arm, from its baseline (the base
 * model's evaluation when given, else the arm's earliest checkpoint) to its latest checkpoint —
 * did the proxy climb while gold fell (over-optimization), did the text degenerate, did KL stay
 * near its target, is gold above the base model. The thresholds are stated here once, so a reader
 * can redo every verdict from the tables.
 */
public final class Findings {
    /** Text counts as degenerate past any of these, against the baseline. */
    static final double REPETITION_RISE = 0.05;
    static final double DISTINCT_2_KEPT = 0.8;
    static final double GRAMMATICAL_DROP = 0.1;
    /** KL is "near its target" when the mean over the last third of the iterations is within ±25 %. */
    static final double TARGET_TOLERANCE = 0.25;

    private Findings() {}

    public static List<Finding> of(List<Arm> arms, Optional<EvaluationPoint> base) {
        List<Finding> out = new ArrayList<>();
        for (Arm arm : arms) {
            EvaluationPoint from = base.orElse(arm.first());
            String fromName = base.isPresent() ? "the base model" : "iteration " + from.iteration();
            EvaluationPoint to = arm.last();
            if (from == to || (base.isEmpty() && arm.points().size() < 2)) {
                out.add(new Finding(arm.label(), Finding.REWARD, false, arm.label() + ": one evaluated checkpoint (iteration " + to.iteration()
                        + "): proxy reward " + Numbers.format(to.require(Metric.REWARD))
                        + to.metric(Metric.GOLD).map(g -> ", gold reward " + Numbers.format(g)).orElse("")
                        + "; evaluate more checkpoints (the history input) or give a base evaluation to see a trend."));
            } else {
                out.add(reward(arm, from, fromName, to));
                out.add(text(arm, from, fromName, to));
                if (base.isPresent()) {
                    goldVsBase(arm, base.get(), to).ifPresent(out::add);
                }
            }
            kl(arm).ifPresent(out::add);
        }
        return out;
    }

    private static Finding reward(Arm arm, EvaluationPoint from, String fromName, EvaluationPoint to) {
        double p0 = from.require(Metric.REWARD);
        double p1 = to.require(Metric.REWARD);
        StringBuilder s = new StringBuilder(arm.label()).append(", ").append(fromName).append(" → iteration ").append(to.iteration())
                .append(": proxy reward ").append(direction(p1 - p0)).append(' ').append(change(p0, p1));
        Optional<Double> g0 = from.metric(Metric.GOLD);
        Optional<Double> g1 = to.metric(Metric.GOLD);
        boolean overOptimized = false;
        if (g0.isPresent() && g1.isPresent()) {
            overOptimized = p1 > p0 && g1.get() < g0.get();
            s.append(overOptimized ? " while" : " and").append(" gold reward ").append(direction(g1.get() - g0.get())).append(' ')
                    .append(change(g0.get(), g1.get()));
            peak(arm).ifPresent(pk -> s.append("; gold peaked at ").append(Numbers.format(pk.require(Metric.GOLD)))
                    .append(" (iteration ").append(pk.iteration()).append(", ").append(Metric.describe(arm.klMetric())).append(' ')
                    .append(Numbers.format(pk.require(arm.klMetric()))).append(") before it fell"));
            if (overOptimized) {
                s.append(" — the proxy is being over-optimized");
            }
        }
        s.append(", at ").append(Metric.describe(arm.klMetric())).append(' ').append(Numbers.format(to.require(arm.klMetric()))).append('.');
        return new Finding(arm.label(), Finding.REWARD, overOptimized, s.toString());
    }

    /** The checkpoint of highest gold, when it lies strictly between the first and the last. */
    private static Optional<EvaluationPoint> peak(Arm arm) {
        List<EvaluationPoint> withGold = arm.points().stream().filter(p -> p.metric(Metric.GOLD).isPresent()).toList();
        if (withGold.size() < 3) {
            return Optional.empty();
        }
        EvaluationPoint best = withGold.get(0);
        for (EvaluationPoint p : withGold) {
            if (p.require(Metric.GOLD) > best.require(Metric.GOLD)) {
                best = p;
            }
        }
        double last = withGold.get(withGold.size() - 1).require(Metric.GOLD);
        return best != withGold.get(0) && best != withGold.get(withGold.size() - 1) && best.require(Metric.GOLD) > last
                ? Optional.of(best) : Optional.empty();
    }

    private static Finding text(Arm arm, EvaluationPoint from, String fromName, EvaluationPoint to) {
        List<String> parts = new ArrayList<>();
        boolean degenerate = false;
        double d0 = from.require(Metric.DISTINCT_2);
        double d1 = to.require(Metric.DISTINCT_2);
        parts.add("distinct-2 " + change(d0, d1));
        // Fewer distinct bigrams alone is a policy settling on what pays, not broken text: only
        // repetition or lost grammar make it degenerate.
        boolean narrower = d1 < DISTINCT_2_KEPT * d0;
        double r0 = from.require(Metric.REPETITION);
        double r1 = to.require(Metric.REPETITION);
        parts.add("repetition rate " + change(r0, r1));
        degenerate |= r1 - r0 > REPETITION_RISE;
        Optional<Double> gr0 = from.metric(Metric.GRAMMATICAL);
        Optional<Double> gr1 = to.metric(Metric.GRAMMATICAL);
        if (gr0.isPresent() && gr1.isPresent()) {
            parts.add("grammatical rate " + change(gr0.get(), gr1.get()));
            degenerate |= gr0.get() - gr1.get() > GRAMMATICAL_DROP;
        }
        parts.add("length " + change(from.require(Metric.LENGTH), to.require(Metric.LENGTH)) + " tokens");
        String verdict = degenerate ? "degenerates" : narrower ? "narrows (less varied, still well-formed)" : "holds up";
        return new Finding(arm.label(), Finding.TEXT, degenerate, arm.label() + ": the text " + verdict
                + " (" + fromName + " → iteration " + to.iteration() + "): " + String.join(", ", parts) + ".");
    }

    private static Optional<Finding> goldVsBase(Arm arm, EvaluationPoint base, EvaluationPoint to) {
        if (base.metric(Metric.GOLD).isEmpty() || to.metric(Metric.GOLD).isEmpty()) {
            return Optional.empty();
        }
        double g0 = base.require(Metric.GOLD);
        double g1 = to.require(Metric.GOLD);
        boolean better = g1 > g0;
        return Optional.of(new Finding(arm.label(), Finding.GOLD_VS_BASE, better, arm.label() + ": gold reward at iteration " + to.iteration() + " is "
                + Numbers.format(g1) + " against the base model's " + Numbers.format(g0) + " (" + Numbers.signed(g1 - g0) + "): "
                + (better ? "better than" : "no better than") + " the base model."));
    }

    private static Optional<Finding> kl(Arm arm) {
        if (arm.log().isEmpty()) {
            return Optional.empty();
        }
        List<TrainingLogEntry> log = arm.log();
        List<TrainingLogEntry> tail = log.subList(log.size() - Math.max(1, log.size() / 3), log.size());
        if (arm.target().isEmpty()) {
            boolean zero = log.stream().allMatch(e -> e.beta() == 0);
            double mean = tail.stream().mapToDouble(TrainingLogEntry::klSeq).average().orElse(0);
            return Optional.of(new Finding(arm.label(), Finding.KL, false, arm.label() + ": "
                    + (zero ? "β = 0 throughout, nothing holds the KL: " : "fixed β " + Numbers.format(log.get(log.size() - 1).beta()) + ", no KL target: ")
                    + "rollout KL " + Numbers.format(log.get(0).klSeq()) + " at iteration " + log.get(0).iteration() + ", mean "
                    + Numbers.format(mean) + " nats/sequence over iterations " + tail.get(0).iteration() + "–" + tail.get(tail.size() - 1).iteration() + "."));
        }
        KlTargetJson target = arm.target().get();
        KlUnit unit = target.klUnit();
        double mean = tail.stream().mapToDouble(e -> e.kl(unit)).average().orElse(0);
        boolean near = Math.abs(mean / target.value() - 1) <= TARGET_TOLERANCE;
        String u = unit == KlUnit.KL_SEQ ? "nats/sequence" : "nats/token";
        TrainingLogEntry last = log.get(log.size() - 1);
        return Optional.of(new Finding(arm.label(), Finding.KL, near, arm.label() + ": adaptive β, target " + Numbers.format(target.value()) + " " + u
                + ": mean rollout KL " + Numbers.format(mean) + " " + u + " over iterations " + tail.get(0).iteration() + "–" + last.iteration()
                + " (" + (near ? "within" : "outside") + " ±" + Math.round(TARGET_TOLERANCE * 100) + " % of the target), β "
                + Numbers.format(log.get(0).beta()) + " → " + Numbers.format(last.betaNext()) + "."));
    }

    private static String direction(double delta) {
        return delta > 0 ? "rose" : delta < 0 ? "fell" : "stayed";
    }

    private static String change(double a, double b) {
        return Numbers.format(a) + " → " + Numbers.format(b) + " (" + Numbers.signed(b - a) + ")";
    }
}
