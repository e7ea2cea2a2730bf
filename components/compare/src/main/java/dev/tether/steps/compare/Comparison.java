package dev.tether.steps.compare;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tether.steps.evaluate.artifact.EvaluationPoint;
import dev.tether.steps.evaluate.report.Finding;
import dev.tether.steps.evaluate.report.Report;
import java.util.List;

/**
 * comparison.json: the numbers behind the comparison report — the latest checkpoint of each arm,
 * the base model's point, and the findings — for a program to read rather than a person.
 */
record Comparison(@JsonProperty("title") String title, @JsonProperty("arms") List<EvaluationPoint> arms,
        @JsonProperty("base") EvaluationPoint base, @JsonProperty("findings") List<Finding> findings) {

    static final String FILE_NAME = "comparison.json";

    static Comparison of(Report r) {
        return new Comparison(r.title(), r.arms().stream().map(a -> a.last()).toList(), r.base().orElse(null), r.findings());
    }
}
