package dev.tether.steps.evaluate;

import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.kl.KlEstimator;
import dev.tether.core.kl.KlStats;
import dev.tether.core.kl.KlUnit;
import dev.tether.steps.evaluate.artifact.Metric;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The evaluation's numbers, by their {@link Metric} names, from the per-sample and per-token scores. */
final class EvaluationMetrics {
    private EvaluationMetrics() {}

    /**
     * @param entropy per response token, 0 where masked
     * @param gold null without a gold scorer
     */
    static Map<String, Double> of(RolloutBatch r, float[] entropy, KlSummary kl, float[] proxy, double[] gold, ResponseStats text) {
        Map<String, Double> m = new TreeMap<>();
        m.put(Metric.REWARD, mean(toDoubles(proxy)));
        m.put(Metric.REWARD_STD, std(toDoubles(proxy)));
        if (gold != null) {
            m.put(Metric.GOLD, mean(gold));
            m.put(Metric.GOLD_STD, std(gold));
        }
        for (KlEstimator e : List.of(KlEstimator.K1, KlEstimator.K3)) {
            KlStats s = kl.of(e);
            m.put(Metric.kl(e, KlUnit.KL_SEQ), s.klSeq());
            m.put(Metric.kl(e, KlUnit.KL_TOKEN), s.klToken());
        }
        double sum = 0;
        long n = 0;
        for (int i = 0; i < entropy.length; i++) {
            sum += entropy[i] * r.responseMask()[i];
            n += r.responseMask()[i];
        }
        m.put(Metric.ENTROPY, n == 0 ? 0 : sum / n);
        m.put(Metric.DISTINCT_1, text.distinct1());
        m.put(Metric.DISTINCT_2, text.distinct2());
        m.put(Metric.REPETITION, text.repetition());
        m.put(Metric.LENGTH, text.meanLength());
        m.put(Metric.EOS_RATE, text.eosRate());
        m.put(Metric.NUM_SAMPLES, (double) r.batch());
        return m;
    }

    static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The sample standard deviation (n − 1), as ppo-update reports reward_std; 0 for one sample. */
    static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return v.length < 2 ? 0 : Math.sqrt(s / (v.length - 1));
    }
}
