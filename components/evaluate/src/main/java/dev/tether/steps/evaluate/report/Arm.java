package dev.tether.steps.evaluate.report;

import dev.tether.steps.evaluate.artifact.Evaluation;
import dev.tether.steps.evaluate.artifact.EvaluationPoint;
import dev.tether.steps.evaluate.artifact.KlTargetJson;
import dev.tether.steps.evaluate.artifact.SampleRow;
import dev.tether.steps.evaluate.artifact.TrainingLogEntry;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One arm of an experiment as the report draws it (β = 0, adaptive β, …): its evaluated
 * checkpoints in iteration order, the training log of its latest checkpoint, its KL target, and the
 * samples of its latest evaluation.
 */
public record Arm(String label, List<EvaluationPoint> points, List<TrainingLogEntry> log, Optional<KlTargetJson> target,
        List<SampleRow> samples, String klMetric) {

    public Arm {
        points = points.stream().sorted(Comparator.comparingLong(EvaluationPoint::iteration)).toList();
        log = List.copyOf(log);
        samples = List.copyOf(samples);
    }

    public static Arm of(Evaluation e, List<SampleRow> samples) {
        return new Arm(e.label(), e.points(), e.trainingLog(), e.target(), samples, e.settings().klMetric());
    }

    /** The latest evaluated checkpoint. */
    public EvaluationPoint last() {
        return points.get(points.size() - 1);
    }

    public EvaluationPoint first() {
        return points.get(0);
    }
}
