package dev.tether.tasks.reviews;

/**
 * How the review generator draws a sentence (DEMO-RECIPE.md, "The language").
 *
 * @param negationP per clause: write "not" and an adjective of the opposite polarity
 * @param intensifierP per clause: put an intensifier before the adjective
 * @param secondClauseP per sentence: add a second clause about another noun
 * @param butP per two-clause sentence: join with "but" (flips the sentiment), else "and"
 */
public record GeneratorConfig(double negationP, double intensifierP, double secondClauseP,
        double butP) {

    /** The base model's language: negation 0.25, intensifier 0.3, second clause 0.5, but 0.5. */
    public static final GeneratorConfig RECIPE = new GeneratorConfig(0.25, 0.3, 0.5, 0.5);

    /**
     * The proxy reward model's preference data: no negation, so the proxy never learns that "not"
     * flips a sentence and gives "not" no weight at all — one of the blind spots the demo's policy
     * finds. (The recipe's rare negation, p = 0.03, left "not" a weight between −0.28 and +0.21
     * across seeds 0–5, and its sign, rather than the KL penalty, decided whether the adaptive arm's
     * gold reward rose: a positive weight pays the policy to negate its praise.)
     */
    public static final GeneratorConfig PREFERENCE_PAIRS = RECIPE.withNegationP(0.0);

    public GeneratorConfig {
        check("negation_p", negationP);
        check("intensifier_p", intensifierP);
        check("second_clause_p", secondClauseP);
        check("but_p", butP);
    }

    public GeneratorConfig withNegationP(double p) {
        return new GeneratorConfig(p, intensifierP, secondClauseP, butP);
    }

    private static void check(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + ": expected a probability in [0, 1], got "
                    + p);
        }
    }
}
