package dev.tether.tasks.reviews;

import java.util.List;

/**
 * Draws sentences of the review language. The draws, in this order, are the definition (a
 * different order is a different corpus for the same seed):
 * <ol>
 *   <li>verb: was or is, ½ each, once per sentence;</li>
 *   <li>sentiment s: +1 or −1, ½ each;</li>
 *   <li>first noun, uniform over the 20 (unless the caller fixes it, as a prompt does);</li>
 *   <li>first clause with sentiment s (below);</li>
 *   <li>second clause with p = secondClauseP: "but" with p = butP (sentiment −s), else "and"
 *       (sentiment s); its noun uniform over the 19 others; the clause as below.</li>
 * </ol>
 * A clause with intended sentiment t: "not" with p = negationP, then the adjective's polarity is
 * −t, else t; an intensifier with p = intensifierP, uniform over the 5; the adjective uniform over
 * the 15 of the needed polarity.
 */
public final class ReviewGenerator {

    private final GeneratorConfig config;
    private final SplitMix64 rng;

    public ReviewGenerator(GeneratorConfig config, SplitMix64 rng) {
        this.config = config;
        this.rng = rng;
    }

    public ReviewGenerator(GeneratorConfig config, long seed) {
        this(config, new SplitMix64(seed));
    }

    /** A sentence about any noun. */
    public Review next() {
        return next(-1);
    }

    /**
     * A sentence whose first noun is {@code firstNoun} (a noun's token id), or any noun when -1.
     */
    public Review next(int firstNoun) {
        if (firstNoun != -1 && !ReviewVocab.isNoun(firstNoun)) {
            throw new IllegalArgumentException("firstNoun: expected a noun id or -1, found "
                    + ReviewVocab.word(firstNoun));
        }
        int verb = rng.bernoulli(0.5) ? ReviewVocab.WAS : ReviewVocab.IS;
        int sentiment = rng.bernoulli(0.5) ? 1 : -1;
        int noun1 = rng.nextInt(ReviewVocab.NOUNS.size()) + ReviewVocab.FIRST_NOUN;
        if (firstNoun != -1) {
            noun1 = firstNoun; // still drawn above, so fixing the noun leaves later draws alike
        }
        Clause first = clause(noun1, sentiment);
        double gold = intendedScore(first, sentiment);
        if (!rng.bernoulli(config.secondClauseP())) {
            return new Review(Sentence.of(verb, first), sentiment, gold);
        }
        Conjunction conjunction = rng.bernoulli(config.butP()) ? Conjunction.BUT : Conjunction.AND;
        int sentiment2 = conjunction == Conjunction.BUT ? -sentiment : sentiment;
        // Uniform over the other 19: skip past the first noun's slot.
        int noun2 = rng.nextInt(ReviewVocab.NOUNS.size() - 1) + ReviewVocab.FIRST_NOUN;
        if (noun2 >= noun1) {
            noun2++;
        }
        Clause second = clause(noun2, sentiment2);
        gold = (gold + intendedScore(second, sentiment2)) / 2;
        return new Review(new Sentence(verb, first, conjunction, second), sentiment, gold);
    }

    private Clause clause(int noun, int sentiment) {
        boolean negated = rng.bernoulli(config.negationP());
        int intensifier = Clause.NO_INTENSIFIER;
        if (rng.bernoulli(config.intensifierP())) {
            intensifier = ReviewVocab.FIRST_INTENSIFIER
                    + rng.nextInt(ReviewVocab.INTENSIFIERS.size());
        }
        int polarity = negated ? -sentiment : sentiment;
        List<String> adjectives = polarity > 0 ? ReviewVocab.POSITIVE : ReviewVocab.NEGATIVE;
        int first = polarity > 0 ? ReviewVocab.FIRST_POSITIVE : ReviewVocab.FIRST_NEGATIVE;
        return new Clause(noun, negated, intensifier, first + rng.nextInt(adjectives.size()));
    }

    private static double intendedScore(Clause clause, int sentiment) {
        return sentiment * (clause.intensified() ? GoldReward.INTENSIFIER_FACTOR : 1.0);
    }
}
