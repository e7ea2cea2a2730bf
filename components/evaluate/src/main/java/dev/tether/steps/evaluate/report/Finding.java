package dev.tether.steps.evaluate.report;

/**
 * One sentence of the report's findings, with its numbers.
 *
 * @param arm the arm it is about
 * @param topic what it looks at: "reward", "text", "kl", "gold_vs_base"
 * @param flag whether what the topic looks for happened (over-optimization, degenerate text, KL on
 *     target, gold above the base model); a test and a reader can check it against the numbers
 */
public record Finding(String arm, String topic, boolean flag, String text) {
    public static final String REWARD = "reward";
    public static final String TEXT = "text";
    public static final String KL = "kl";
    public static final String GOLD_VS_BASE = "gold_vs_base";
}
