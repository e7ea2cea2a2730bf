package dev.tether.tasks.reviews;

import static dev.tether.tasks.reviews.Sentences.concat;
import static dev.tether.tasks.reviews.Sentences.ids;
import static dev.tether.tasks.reviews.Sentences.words;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoldRewardTest {

    private static final int[] COFFEE = ReviewPrompts.ids("coffee");

    /** Hand-worked: the arithmetic is in the last column. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            the food was good .                                              |  1.0  | SCORED                | +1
            the food was bad .                                               | -1.0  | SCORED                | −1
            the food was not good .                                          | -1.0  | SCORED                | "not" flips +1
            the food was not bad .                                           |  1.0  | SCORED                | "not" flips −1
            the food was very good .                                         |  1.5  | SCORED                | +1 × 1.5
            the food is extremely awful .                                    | -1.5  | SCORED                | −1 × 1.5
            the food was not so good .                                       | -1.5  | SCORED                | −(+1) × 1.5
            the food was not extremely bad .                                 |  1.5  | SCORED                | −(−1) × 1.5
            the food was good and the staff was nice .                       |  1.0  | SCORED                | (1 + 1) / 2
            the food was really good and the staff was nice .                |  1.25 | SCORED                | (1.5 + 1) / 2
            the food was bad and the room was quite dull .                   | -1.25 | SCORED                | (−1 − 1.5) / 2
            the food is good but the staff is awful .                        |  0.0  | SCORED                | (1 − 1) / 2
            the food is very good but the staff is awful .                   |  0.25 | SCORED                | (1.5 − 1) / 2
            the food was bad but the view was extremely lovely .             |  0.25 | SCORED                | (−1 + 1.5) / 2
            the food was good and the staff was not nice .                   |  0.0  | SCORED                | "and" with contrast is English: (1 − 1) / 2
            the food was not very good and the staff was not extremely good . | -1.5 | SCORED                | (−1.5 − 1.5) / 2, the 16-token maximum
            the food was good and the food was great .                       | -1.0  | REPEATED_NOUN         | same noun twice
            the food was bad but the food was great .                        | -1.0  | REPEATED_NOUN         | same noun, even with contrast
            the food was good but the staff was nice .                       | -1.0  | BUT_WITHOUT_CONTRAST  | "but" between two positives
            the food was very bad but the staff was not good .               | -1.0  | BUT_WITHOUT_CONTRAST  | "but" between two negatives
            the food was good                                                | -2.0  | UNGRAMMATICAL         | no "."
            the food was good good .                                         | -2.0  | UNGRAMMATICAL         | adjective twice
            the food was good and the staff is nice .                        | -2.0  | UNGRAMMATICAL         | mixed verbs
            """)
    void handWorkedGold(String text, double gold, Gold.Verdict verdict, String why) {
        Gold g = GoldReward.DEFAULT.judgeSentence(ids(text));
        assertThat(g.value()).isEqualTo(gold);
        assertThat(g.verdict()).isEqualTo(verdict);
        assertThat(g.grammatical()).isEqualTo(verdict != Gold.Verdict.UNGRAMMATICAL);
    }

    @Test
    void theRecipesGoldScoresButWithoutContrastAsAPlainMean() {
        assertThat(GoldReward.RECIPE.scoreSentence(ids("the food was good but the staff was nice .")))
                .isEqualTo(1.0);
        // (−1.5 + −1) / 2
        assertThat(GoldReward.RECIPE.scoreSentence(
                ids("the food was very bad but the staff was not good ."))).isEqualTo(-1.25);
        // Everything else is the same rule.
        assertThat(GoldReward.RECIPE.scoreSentence(ids("the food was good and the food was great .")))
                .isEqualTo(-1.0);
        assertThat(GoldReward.RECIPE.scoreSentence(ids("the food is very good but the staff is awful .")))
                .isEqualTo(0.25);
    }

    @Test
    void aResponseIsScoredAfterItsPrompt() {
        int[] response = concat(words("was superb ."), new int[] {ReviewVocab.EOS});
        assertThat(GoldReward.DEFAULT.scoreResponse(COFFEE, response)).isEqualTo(1.0);
        // Padding after the EOS is not part of the response.
        int[] padded = concat(response, new int[] {0, 0, 0, 0});
        assertThat(GoldReward.DEFAULT.scoreResponse(COFFEE, padded)).isEqualTo(1.0);
        // The prompt's noun counts for the repeated-noun rule.
        int[] repeat = concat(words("was good and the coffee was nice ."), new int[] {2});
        assertThat(GoldReward.DEFAULT.judgeResponse(COFFEE, repeat).verdict())
                .isEqualTo(Gold.Verdict.REPEATED_NOUN);
        // A response that restarts the sentence does not parse.
        int[] restart = concat(words("the coffee was good ."), new int[] {2});
        assertThat(GoldReward.DEFAULT.scoreResponse(COFFEE, restart)).isEqualTo(-2.0);
    }

    @Test
    void theEosMustComeWithinThirteenResponseTokens() {
        // 12 words + EOS = 13 tokens: the longest response, the EOS at index 12.
        int[] longest = concat(words("was not very good and the staff was not very good ."),
                new int[] {ReviewVocab.EOS});
        assertThat(longest).hasSize(13);
        assertThat(GoldReward.DEFAULT.scoreResponse(COFFEE, longest)).isEqualTo(-1.5);

        // The β = 0 collapse: no EOS at all.
        int[] babble = words("nice nice but nice nice nice nice nice nice nice nice nice nice");
        Gold g = GoldReward.DEFAULT.judgeResponse(COFFEE, babble);
        assertThat(g.value()).isEqualTo(-2.0);
        assertThat(g.reason()).isEqualTo("expected <eos> within 13 response tokens, found none in 13");
        // An EOS at index 13 is one too late, whatever comes before it.
        int[] late = concat(babble, new int[] {ReviewVocab.EOS});
        assertThat(GoldReward.DEFAULT.judgeResponse(COFFEE, late).reason())
                .isEqualTo("expected <eos> within 13 response tokens, found it at response token 13");
        assertThat(GoldReward.DEFAULT.scoreResponse(COFFEE, new int[0])).isEqualTo(-2.0);
        // An immediate EOS: "the coffee" is not a sentence.
        assertThat(GoldReward.DEFAULT.judgeResponse(COFFEE, new int[] {2}).reason())
                .isEqualTo("token 3: expected 'was' or 'is', found <eos>");
    }

    @Test
    void clauseScoreIsPolarityTimesNegationTimesIntensity() {
        assertThat(GoldReward.clauseScore(new Clause(15, false, Clause.NO_INTENSIFIER, 35))).isEqualTo(1.0);
        assertThat(GoldReward.clauseScore(new Clause(15, true, Clause.NO_INTENSIFIER, 35))).isEqualTo(-1.0);
        assertThat(GoldReward.clauseScore(new Clause(15, true, 12, 64))).isEqualTo(1.5);
        assertThat(GoldReward.clauseScore(new Clause(15, false, 12, 64))).isEqualTo(-1.5);
    }

    /**
     * Any int[] scores without throwing, and only to values the rules can produce: −2, −1, or a
     * mean of two clause scores in {±1, ±1.5}, all multiples of 0.25 in [−1.5, 1.5].
     */
    @Test
    void malformedInputsNeverThrowAndScoreWithinTheRules() {
        SplitMix64 rng = new SplitMix64(99);
        Set<Double> possible = Set.of(-2.0, -1.5, -1.25, -1.0, -0.25, 0.0, 0.25, 1.0, 1.25, 1.5);
        int grammatical = 0;
        for (int i = 0; i < 100_000; i++) {
            int[] tokens = new int[rng.nextInt(20)];
            for (int j = 0; j < tokens.length; j++) {
                // Mostly in-vocabulary, sometimes far outside; start and end often well formed.
                tokens[j] = rng.bernoulli(0.05) ? (int) rng.nextLong() : rng.nextInt(ReviewVocab.SIZE);
            }
            if (tokens.length > 0 && rng.bernoulli(0.5)) {
                tokens[0] = ReviewVocab.BOS;
            }
            int[] prompt = Arrays.copyOf(tokens, Math.min(3, tokens.length));
            int[] response = Arrays.copyOfRange(tokens, prompt.length, tokens.length);
            assertThatCode(() -> {
                assertThat(GoldReward.DEFAULT.scoreSentence(tokens)).isIn(possible);
                assertThat(GoldReward.RECIPE.scoreResponse(prompt, response)).isIn(possible);
            }).as(Arrays.toString(tokens)).doesNotThrowAnyException();
            grammatical += ReviewParser.grammatical(tokens) ? 1 : 0;
        }
        // Random tokens are essentially never a sentence (each of ~6 positions has at most a
        // handful of 65 right answers).
        assertThat(grammatical).isLessThan(5);
    }
}
