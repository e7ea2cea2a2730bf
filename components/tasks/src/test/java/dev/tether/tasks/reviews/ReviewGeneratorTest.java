package dev.tether.tasks.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewGeneratorTest {

    private static final int N = 10_000;

    private static List<Review> sample(GeneratorConfig config, long seed) {
        ReviewGenerator generator = new ReviewGenerator(config, seed);
        List<Review> out = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            out.add(generator.next());
        }
        return out;
    }

    @Test
    void everySentenceIsWellFormedParsesBackAndScoresAsIntended() {
        for (Review review : sample(GeneratorConfig.RECIPE, 1)) {
            int[] tokens = review.tokens();
            assertThat(tokens.length).isBetween(7, ReviewVocab.MAX_SENTENCE_TOKENS);
            assertThat(tokens[0]).isEqualTo(ReviewVocab.BOS);
            assertThat(tokens[tokens.length - 1]).isEqualTo(ReviewVocab.EOS);
            assertThat(ReviewParser.firstEos(tokens, 0)).isEqualTo(tokens.length - 1);

            // The parser recovers exactly the structure the generator built.
            ParseResult parsed = ReviewParser.parse(tokens);
            assertThat(parsed).isEqualTo(new ParseResult.Parsed(review.sentence()));

            // Gold, computed from the adjectives' polarity and "not", equals the generator's intent.
            Gold gold = GoldReward.DEFAULT.judgeSentence(tokens);
            assertThat(gold.verdict()).isEqualTo(Gold.Verdict.SCORED);
            assertThat(gold.value()).isEqualTo(review.intendedGold());
            assertThat(GoldReward.RECIPE.scoreSentence(tokens)).isEqualTo(review.intendedGold());

            Sentence s = review.sentence();
            assertThat(s.first().sentiment()).isEqualTo(review.sentiment());
            if (s.second() == null || s.conjunction() == Conjunction.AND) {
                // One sentiment throughout: the gold has its sign, at least 1 in size.
                assertThat(Math.signum(gold.value())).isEqualTo(review.sentiment());
                assertThat(Math.abs(gold.value())).isBetween(1.0, 1.5);
            } else {
                // "but" flips, and the nouns differ.
                assertThat(s.second().sentiment()).isEqualTo(-review.sentiment());
            }
            if (s.second() != null) {
                assertThat(s.second().noun()).isNotEqualTo(s.first().noun());
            }
        }
    }

    @Test
    void theProbabilitiesAreAsConfigured() {
        List<Review> reviews = sample(GeneratorConfig.RECIPE, 2);
        int clauses = 0;
        int negated = 0;
        int intensified = 0;
        int twoClauses = 0;
        int buts = 0;
        int was = 0;
        int positive = 0;
        int[] firstNouns = new int[ReviewVocab.SIZE];
        int[] adjectives = new int[ReviewVocab.SIZE];
        for (Review r : reviews) {
            Sentence s = r.sentence();
            for (Clause c : s.clauses()) {
                clauses++;
                negated += c.negated() ? 1 : 0;
                intensified += c.intensified() ? 1 : 0;
                adjectives[c.adjective()]++;
            }
            twoClauses += s.second() != null ? 1 : 0;
            buts += s.conjunction() == Conjunction.BUT ? 1 : 0;
            was += s.verb() == ReviewVocab.WAS ? 1 : 0;
            positive += r.sentiment() > 0 ? 1 : 0;
            firstNouns[s.first().noun()]++;
        }
        // Tolerances are about 4σ: σ = √(p(1−p)/n) with n ≈ 15 000 clauses or 10 000 sentences.
        assertThat(clauses).isBetween(14_500, 15_500);
        assertThat((double) negated / clauses).isCloseTo(0.25, within(0.015));
        assertThat((double) intensified / clauses).isCloseTo(0.30, within(0.016));
        assertThat((double) twoClauses / N).isCloseTo(0.50, within(0.02));
        assertThat((double) buts / twoClauses).isCloseTo(0.50, within(0.03));
        assertThat((double) was / N).isCloseTo(0.50, within(0.02));
        assertThat((double) positive / N).isCloseTo(0.50, within(0.02));
        // Nouns uniform: 500 expected each, σ ≈ 22.
        for (int id = ReviewVocab.FIRST_NOUN; id < ReviewVocab.FIRST_POSITIVE; id++) {
            assertThat(firstNouns[id]).as(ReviewVocab.word(id)).isBetween(410, 590);
        }
        // Adjectives uniform within polarity: ~500 each, σ ≈ 22.
        for (int id = ReviewVocab.FIRST_POSITIVE; id < ReviewVocab.SIZE; id++) {
            assertThat(adjectives[id]).as(ReviewVocab.word(id)).isBetween(400, 600);
        }
    }

    @Test
    void thePreferenceDataNegatesAsConfigured() {
        int clauses = 0;
        int negated = 0;
        for (Review r : sample(GeneratorConfig.RECIPE.withNegationP(0.03), 3)) {
            for (Clause c : r.sentence().clauses()) {
                clauses++;
                negated += c.negated() ? 1 : 0;
            }
        }
        // p = 0.03 over ~15 000 clauses: σ ≈ 0.0014.
        assertThat((double) negated / clauses).isCloseTo(0.03, within(0.006));
        assertThat(sample(GeneratorConfig.PREFERENCE_PAIRS, 3)).allSatisfy(r -> assertThat(r.sentence().clauses()).noneMatch(Clause::negated));
    }

    @Test
    void theSameSeedGivesTheSameSentencesAndTheSeedIsPinned() {
        List<Review> a = sample(GeneratorConfig.RECIPE, 42);
        List<Review> b = sample(GeneratorConfig.RECIPE, 42);
        List<Review> c = sample(GeneratorConfig.RECIPE, 43);
        for (int i = 0; i < N; i++) {
            assertThat(a.get(i).tokens()).containsExactly(b.get(i).tokens());
        }
        assertThat(c.stream().map(Review::text).toList())
                .isNotEqualTo(a.stream().map(Review::text).toList());
        // Pinned: a change to the draws (order, algorithm, word lists) changes every corpus made
        // from a seed, and must be a deliberate change to this line.
        assertThat(a.subList(0, 3).stream().map(Review::text).toList()).containsExactly(
                PINNED_42[0], PINNED_42[1], PINNED_42[2]);
    }

    private static final String[] PINNED_42 = {
        "the plot is extremely superb .",
        "the movie was disappointing .",
        "the view was not lousy and the ending was not so dreadful ."};

    @Test
    void aFixedFirstNounIsUsedAndLeavesTheOtherDrawsAlone() {
        ReviewGenerator fixed = new ReviewGenerator(GeneratorConfig.RECIPE, 8);
        ReviewGenerator free = new ReviewGenerator(GeneratorConfig.RECIPE, 8);
        int coffee = ReviewVocab.noun("coffee");
        for (int i = 0; i < 1_000; i++) {
            Review r = fixed.next(coffee);
            Review f = free.next();
            assertThat(r.sentence().first().noun()).isEqualTo(coffee);
            assertThat(r.sentence().verb()).isEqualTo(f.sentence().verb());
            assertThat(r.intendedGold()).isEqualTo(f.intendedGold());
        }
        assertThatThrownBy(() -> fixed.next(ReviewVocab.id("good")))
                .hasMessageContaining("expected a noun id or -1, found good");
    }

    @Test
    void configRefusesImpossibleProbabilities() {
        assertThatThrownBy(() -> new GeneratorConfig(1.2, 0.3, 0.5, 0.5))
                .hasMessage("negation_p: expected a probability in [0, 1], got 1.2");
        assertThatThrownBy(() -> GeneratorConfig.RECIPE.withNegationP(Double.NaN))
                .hasMessageContaining("negation_p");
        assertThat(GeneratorConfig.PREFERENCE_PAIRS.negationP()).isEqualTo(0.0);
        assertThat(GeneratorConfig.PREFERENCE_PAIRS.intensifierP()).isEqualTo(0.3);
    }

    @Test
    void extremeConfigsGiveExtremeSentences() {
        ReviewGenerator plain = new ReviewGenerator(new GeneratorConfig(0, 0, 0, 0), 4);
        ReviewGenerator full = new ReviewGenerator(new GeneratorConfig(1, 1, 1, 1), 4);
        for (int i = 0; i < 200; i++) {
            assertThat(plain.next().tokens()).hasSize(7); // [BOS] the N V ADJ . [EOS]
            Review r = full.next();
            assertThat(r.tokens()).hasSize(16);
            assertThat(r.sentence().conjunction()).isEqualTo(Conjunction.BUT);
            assertThat(r.intendedGold()).isZero(); // (1.5 s − 1.5 s) / 2
            assertThat(Arrays.stream(r.tokens()).filter(t -> t == ReviewVocab.NOT).count()).isEqualTo(2);
        }
    }
}
