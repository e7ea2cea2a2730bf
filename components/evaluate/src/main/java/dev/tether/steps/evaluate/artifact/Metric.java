package dev.tether.steps.evaluate.artifact;

import dev.tether.core.kl.KlEstimator;
import dev.tether.core.kl.KlUnit;
import java.util.List;

/**
 * The names of an evaluation's numbers, as they appear in evaluation.json, the KFP metrics, the
 * Markdown and the charts: the field's own names (TRL's, CleanRL's), units in the name where they
 * matter ({@code kl_k1_seq} is nats per sequence, {@code kl_k1_token} nats per token).
 */
public final class Metric {
    /** Mean proxy reward: the reward model the policy was trained against. */
    public static final String REWARD = "reward";
    public static final String REWARD_STD = "reward_std";
    /** Mean gold reward: what the proxy stands in for (absent without a gold scorer). */
    public static final String GOLD = "gold_reward";
    public static final String GOLD_STD = "gold_std";
    /** Mean entropy of the policy's next-token distribution over response tokens, nats per token. */
    public static final String ENTROPY = "entropy";
    public static final String DISTINCT_1 = "distinct_1";
    public static final String DISTINCT_2 = "distinct_2";
    public static final String REPETITION = "repetition_rate";
    /** Tokens up to and including the first EOS. */
    public static final String LENGTH = "response_length";
    public static final String EOS_RATE = "eos_rate";
    /** The demo task only: the fraction of responses that parse. */
    public static final String GRAMMATICAL = "grammatical_rate";
    public static final String NUM_SAMPLES = "num_samples";

    /** The order the report's tables list metrics in. */
    public static final List<String> TABLE_ORDER = List.of(REWARD, REWARD_STD, GOLD, GOLD_STD,
            kl(KlEstimator.K1, KlUnit.KL_SEQ), kl(KlEstimator.K3, KlUnit.KL_SEQ),
            kl(KlEstimator.K1, KlUnit.KL_TOKEN), kl(KlEstimator.K3, KlUnit.KL_TOKEN),
            ENTROPY, DISTINCT_1, DISTINCT_2, REPETITION, LENGTH, EOS_RATE, GRAMMATICAL, NUM_SAMPLES);

    private Metric() {}

    /** {@code kl_k1_seq}, {@code kl_k3_token}, …: estimator and unit in the name. */
    public static String kl(KlEstimator estimator, KlUnit unit) {
        return "kl_" + estimator.id() + (unit == KlUnit.KL_SEQ ? "_seq" : "_token");
    }

    /** What a reader sees for a metric in tables and axis labels. */
    public static String describe(String name) {
        return switch (name) {
            case REWARD -> "proxy reward (mean)";
            case REWARD_STD -> "proxy reward (std)";
            case GOLD -> "gold reward (mean)";
            case GOLD_STD -> "gold reward (std)";
            case ENTROPY -> "entropy, nats/token";
            case DISTINCT_1 -> "distinct-1";
            case DISTINCT_2 -> "distinct-2";
            case REPETITION -> "repetition rate";
            case LENGTH -> "response length, tokens";
            case EOS_RATE -> "EOS rate";
            case GRAMMATICAL -> "grammatical rate";
            case NUM_SAMPLES -> "samples";
            default -> name.startsWith("kl_") ? describeKl(name) : name;
        };
    }

    private static String describeKl(String name) {
        String[] p = name.split("_");
        if (p.length != 3) {
            return name;
        }
        return "KL (" + p[1] + "), nats/" + (p[2].equals("seq") ? "sequence" : "token");
    }
}
