package dev.tether.steps.rewardtrain;

import dev.tether.step.StepGuardException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The mean and standard deviation (n − 1) of raw scores over a set of sequences, written into
 * reward_config.json so that the reward step reports (r − mean)/std: scores of unit scale around
 * the base policy's samples, whatever the reward model's own scale.
 *
 * @param over what the statistics were taken over, for the log and metrics
 */
record Normalization(double mean, double std, int count, String over) {

    static Normalization of(float[] scores, String over) {
        if (scores.length < 2) {
            throw new IllegalArgumentException("normalize: " + over + " holds " + scores.length + " sequence(s); a standard deviation needs at least 2");
        }
        double mean = 0;
        for (float s : scores) {
            mean += s;
        }
        mean /= scores.length;
        double ss = 0;
        for (float s : scores) {
            ss += (s - mean) * (s - mean);
        }
        double std = Math.sqrt(ss / (scores.length - 1));
        if (!(std > 0) || !Double.isFinite(std) || !Double.isFinite(mean)) {
            throw new StepGuardException(String.format(Locale.ROOT,
                    "normalize: the scores over %s have mean %s and standard deviation %s; cannot normalise by them (nothing written)",
                    over, mean, std));
        }
        return new Normalization(mean, std, scores.length, over);
    }

    /** The {@code "normalize"} object of reward_config.json. */
    Map<String, Object> json() {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("mean", mean);
        n.put("std", std);
        return n;
    }
}
