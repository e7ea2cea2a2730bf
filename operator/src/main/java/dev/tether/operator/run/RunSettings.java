package dev.tether.operator.run;

import dev.tether.core.beta.KlTarget;
import java.util.List;
import java.util.Map;

/**
 * A run's spec once validated, defaults applied.
 *
 * @param fixedBeta β from spec.beta.value, or null when it comes from a schedule
 * @param betaFromSchedule the schedule to take β from, or null
 * @param parameters the Workflow parameters besides beta, in the order they are passed
 * @param maxJumpRatio null for no jump test
 * @param recentKL KL of recent promoted runs, for the jump test (may be empty)
 */
public record RunSettings(
        String templateName,
        boolean clusterScope,
        Double fixedBeta,
        String betaFromSchedule,
        KlTarget target,
        Map<String, String> parameters,
        double maxKL,
        Double maxJumpRatio,
        List<Double> recentKL,
        Long activeDeadlineSeconds,
        String serviceAccountName) {
}
