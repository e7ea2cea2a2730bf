package dev.tether.tasks.reviews;

import static dev.tether.tasks.reviews.Sentences.concat;
import static dev.tether.tasks.reviews.Sentences.words;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextMetricsTest {

    private static final int[] COFFEE = ReviewPrompts.ids("coffee");
    private static final int[] EOS = {ReviewVocab.EOS};

    // words [was, good, .] + EOS, twice (once padded); the β = 0 babble; an empty response.
    private static final List<int[]> RESPONSES = List.of(
            concat(words("was good ."), EOS),
            concat(words("was good ."), EOS, new int[] {0, 0}),
            words("nice nice nice"),
            new int[0]);
    private static final List<int[]> PROMPTS = Collections.nCopies(4, COFFEE);

    @Test
    void handWorkedBatch() {
        // Unigrams: was good . | was good . | nice nice nice → 9, of which 4 distinct.
        assertThat(TextMetrics.distinctN(RESPONSES, 1)).isCloseTo(4.0 / 9, within(1e-12));
        // Bigrams: (was good)(good .) twice, (nice nice) twice → 6, of which 3 distinct.
        assertThat(TextMetrics.distinctN(RESPONSES, 2)).isEqualTo(0.5);
        // Adjacent pairs: 2 + 2 + 2, repeats only in "nice nice nice": 2 of 6.
        assertThat(TextMetrics.repetitionRate(RESPONSES)).isCloseTo(1.0 / 3, within(1e-12));
        // Tokens up to and including EOS: 4, 4 (padding not counted), 3 (no EOS), 0.
        assertThat(TextMetrics.meanLength(RESPONSES)).isEqualTo(2.75);
        assertThat(TextMetrics.eosRate(RESPONSES)).isEqualTo(0.5);
        assertThat(TextMetrics.grammaticalRate(PROMPTS, RESPONSES)).isEqualTo(0.5);
        // (1 + 1 − 2 − 2) / 4
        assertThat(TextMetrics.meanGold(PROMPTS, RESPONSES, GoldReward.DEFAULT)).isEqualTo(-0.5);
        assertThat(TextMetrics.summary(PROMPTS, RESPONSES, GoldReward.DEFAULT)).containsExactly(
                entry("gold", -0.5), entry("grammatical_rate", 0.5), entry("eos_rate", 0.5),
                entry("mean_length", 2.75), entry("distinct_1", 4.0 / 9),
                entry("distinct_2", 0.5), entry("repetition_rate", 1.0 / 3));
    }

    private static java.util.Map.Entry<String, Double> entry(String k, double v) {
        return java.util.Map.entry(k, v);
    }

    @Test
    void anEosAfterThirteenTokensDoesNotCountAsEnding() {
        int[] late = concat(words("nice nice nice nice nice nice nice nice nice nice nice nice nice"), EOS);
        assertThat(TextMetrics.eosRate(List.of(late))).isZero();
        assertThat(TextMetrics.meanLength(List.of(late))).isEqualTo(14.0);
        assertThat(TextMetrics.repetitionRate(List.of(late))).isEqualTo(1.0);
        assertThat(TextMetrics.distinctN(List.of(late), 1)).isEqualTo(1.0 / 13);
    }

    @Test
    void theBaseLanguageIsFullyGrammaticalAndNeverRepeatsAWord() {
        ReviewGenerator generator = new ReviewGenerator(GeneratorConfig.RECIPE, 21);
        List<int[]> prompts = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        double gold = 0;
        for (int i = 0; i < 2_000; i++) {
            Review r = generator.next();
            int[] t = r.tokens();
            prompts.add(java.util.Arrays.copyOf(t, 3));
            responses.add(java.util.Arrays.copyOfRange(t, 3, t.length));
            gold += r.intendedGold();
        }
        assertThat(TextMetrics.grammaticalRate(prompts, responses)).isEqualTo(1.0);
        assertThat(TextMetrics.eosRate(responses)).isEqualTo(1.0);
        assertThat(TextMetrics.repetitionRate(responses)).isZero();
        assertThat(TextMetrics.meanGold(prompts, responses, GoldReward.DEFAULT))
                .isCloseTo(gold / 2_000, within(1e-12));
        // Response length: 4 (V ADJ . EOS) + 0.25 not + 0.3 intensifier = 4.55, plus half the
        // time "CONJ the N V [not] [INT] ADJ" = 5.55: 4.55 + 0.5 · 5.55 = 7.325. The per-sample
        // spread is about 2.8 tokens, so σ of the mean of 2 000 ≈ 0.06; ±0.25 is 4σ.
        assertThat(TextMetrics.meanLength(responses)).isCloseTo(7.325, within(0.25));
    }

    @Test
    void edgeCasesAreDefinedOrRefused() {
        List<int[]> single = List.of(new int[] {ReviewVocab.EOS});
        assertThat(TextMetrics.distinctN(single, 1)).isZero(); // no words, no n-grams
        assertThat(TextMetrics.repetitionRate(single)).isZero();
        assertThat(TextMetrics.meanLength(single)).isEqualTo(1.0);
        assertThatThrownBy(() -> TextMetrics.eosRate(List.of()))
                .hasMessage("responses: expected at least one, found none");
        assertThatThrownBy(() -> TextMetrics.grammaticalRate(List.of(COFFEE), RESPONSES))
                .hasMessage("prompts and responses: expected one prompt per response, found 1 "
                        + "prompts and 4 responses");
        assertThatThrownBy(() -> TextMetrics.distinctN(single, 0)).hasMessageContaining("n:");
    }
}
