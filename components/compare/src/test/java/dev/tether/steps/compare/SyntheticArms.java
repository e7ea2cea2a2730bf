package dev.tether.steps.compare;

import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.steps.evaluate.artifact.Evaluation;
import dev.tether.steps.evaluate.artifact.EvaluationArtifact;
import dev.tether.steps.evaluate.artifact.EvaluationPoint;
import dev.tether.steps.evaluate.artifact.EvaluationSettings;
import dev.tether.steps.evaluate.artifact.KlTargetJson;
import dev.tether.steps.evaluate.artifact.Metric;
import dev.tether.steps.evaluate.artifact.SampleRow;
import dev.tether.steps.evaluate.artifact.TrainingLogEntry;
import dev.tether.tasks.reviews.ReviewTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluation artifacts written by hand with the shape of the demo recipe's numbers
 * (DEMO-RECIPE.md: β = 0 ends at proxy 10.5, gold −2, KL 123, 0 % grammatical; the adaptive arm
 * holds KL near 4 with gold 0.96), so the comparison report can be checked against numbers known
 * in advance, without training anything.
 */
final class SyntheticArms {
    static final String PROMPTS = "sha256:" + "1".repeat(64);
    static final String REWARD_MODEL = "sha256:" + "2".repeat(64);
    static final long[] ITERATIONS = {0, 25, 50, 100, 150};

    private SyntheticArms() {}

    record Curve(double[] kl, double[] proxy, double[] gold, double[] distinct2, double[] repetition, double[] grammatical) {}

    static final Curve BETA_0 = new Curve(new double[] {0, 9, 31, 84, 123}, new double[] {0, 2.5, 5.2, 8.8, 10.5},
            new double[] {-0.07, 0.45, -0.6, -1.7, -2.0}, new double[] {0.46, 0.42, 0.2, 0.06, 0.03},
            new double[] {0, 0.02, 0.3, 0.7, 0.85}, new double[] {0.99, 0.93, 0.45, 0.05, 0});
    static final Curve ADAPTIVE = new Curve(new double[] {0, 2.8, 3.9, 4.1, 3.96}, new double[] {0, 0.9, 1.4, 1.7, 1.8},
            new double[] {-0.07, 0.42, 0.71, 0.9, 0.96}, new double[] {0.46, 0.45, 0.40, 0.33, 0.30},
            new double[] {0, 0, 0.01, 0.01, 0.01}, new double[] {0.99, 0.98, 0.96, 0.94, 0.93});

    static Map<String, Double> metrics(Curve c, int i) {
        Map<String, Double> m = new TreeMap<>();
        m.put(Metric.REWARD, c.proxy()[i]);
        m.put(Metric.REWARD_STD, 1.0);
        m.put(Metric.GOLD, c.gold()[i]);
        m.put(Metric.GOLD_STD, 0.8);
        m.put("kl_k1_seq", c.kl()[i]);
        m.put("kl_k3_seq", c.kl()[i] * 0.97);
        m.put("kl_k1_token", c.kl()[i] / 12);
        m.put("kl_k3_token", c.kl()[i] * 0.97 / 12);
        m.put(Metric.ENTROPY, 1.2 - 0.005 * c.kl()[i]);
        m.put(Metric.DISTINCT_1, c.distinct2()[i] * 0.4);
        m.put(Metric.DISTINCT_2, c.distinct2()[i]);
        m.put(Metric.REPETITION, c.repetition()[i]);
        m.put(Metric.LENGTH, 8 + 5 * c.repetition()[i]);
        m.put(Metric.EOS_RATE, c.grammatical()[i]);
        m.put(Metric.GRAMMATICAL, c.grammatical()[i]);
        m.put(Metric.NUM_SAMPLES, 256.0);
        return m;
    }

    /** The arm's latest evaluation, its history holding the earlier checkpoints; {@code upTo} points. */
    static Path write(Path dir, String label, Curve c, int upTo, boolean adaptive) {
        List<EvaluationPoint> points = new ArrayList<>();
        for (int i = 0; i < upTo; i++) {
            points.add(new EvaluationPoint(label, ITERATIONS[i], "sha256:" + String.format("%064x", (label.hashCode() & 0xffffL) * 1000 + i), metrics(c, i)));
        }
        long iterations = ITERATIONS[upTo - 1];
        List<TrainingLogEntry> log = new ArrayList<>();
        double beta = adaptive ? 0.3 : 0;
        for (int it = 0; it < iterations; it++) {
            double kl = adaptive ? 4 * (1 - Math.exp(-it / 20.0)) + 0.15 * Math.sin(it / 3.0) : 123 * Math.pow(it / 150.0, 1.5);
            double next = adaptive ? beta * (1 + Math.max(-0.2, Math.min(0.2, kl / 4 - 1)) * 64 / 640.0) : 0;
            log.add(new TrainingLogEntry(it, beta, next, kl, kl / 12, adaptive ? 1.8 * it / 150 : 10.5 * it / 150));
            beta = next;
        }
        EvaluationSettings settings = new EvaluationSettings(4, 64, 13, 1.0, 0, "reviews", "k1", "kl_seq");
        Evaluation e = new Evaluation(label, iterations, points.get(upTo - 1).policy(), settings, metrics(c, upTo - 1),
                adaptive ? new KlTargetJson(4, "kl_seq") : null, points, log);
        List<SampleRow> samples = new ArrayList<>();
        String[] nouns = {"coffee", "pizza", "show", "game"};
        String[] texts = adaptive
                ? new String[] {"was superb and the music was really lovely .", "is not bad .", "was great but the price was awful .", "was very nice ."}
                : new String[] {"nice nice great nice nice nice nice nice nice nice nice nice nice", "was great great great wonderful nice nice nice nice",
                    "nice nice nice nice nice nice nice nice nice nice nice nice nice", "was superb superb superb superb superb superb"};
        for (int p = 0; p < 4; p++) {
            for (int k = 0; k < 3; k++) {
                String text = texts[(p + k) % 4];
                int[] ids = ReviewTokenizer.encode(text, false);
                samples.add(new SampleRow(p, "the " + nouns[p], text, ids, c.proxy()[upTo - 1] + 0.3 * (k - 1), c.gold()[upTo - 1] + (adaptive ? 0.2 * (k - 1) : 0),
                        c.kl()[upTo - 1] * (1 + 0.1 * (k - 1)), c.kl()[upTo - 1] * 0.97, 1.0, ids.length));
            }
        }
        try (ArtifactWriter w = ArtifactWriter.create(dir, EvaluationArtifact.SCHEMA, 1, "test")) {
            w.input("prompts", PROMPTS).input("reward_model", REWARD_MODEL);
            w.writeJson(Evaluation.FILE_NAME, e);
            w.writeJsonLines(Evaluation.SAMPLES_FILE_NAME, samples);
            w.commit();
        }
        return dir;
    }

    /** The base model: one point, iteration 0, no training log. */
    static Path base(Path dir) {
        Map<String, Double> m = metrics(BETA_0, 0);
        EvaluationPoint p = new EvaluationPoint("base", 0, "sha256:" + "b".repeat(64), m);
        Evaluation e = new Evaluation("base", 0, p.policy(), new EvaluationSettings(4, 64, 13, 1.0, 0, "reviews", "k1", "kl_seq"), m, null,
                List.of(p), List.of());
        try (ArtifactWriter w = ArtifactWriter.create(dir, EvaluationArtifact.SCHEMA, 1, "test")) {
            w.input("prompts", PROMPTS).input("reward_model", REWARD_MODEL);
            w.writeJson(Evaluation.FILE_NAME, e);
            w.writeJsonLines(Evaluation.SAMPLES_FILE_NAME, List.of(new SampleRow(0, "the coffee", "was good .", ReviewTokenizer.encode("was good .", false),
                    0.1, 1.0, 0, 0, 1.2, 4)));
            w.commit();
        }
        return dir;
    }
}
