package dev.tether.steps.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tether.tasks.reviews.GoldReward;
import dev.tether.tasks.reviews.ReviewPrompts;
import dev.tether.tasks.reviews.ReviewTokenizer;
import dev.tether.tasks.reviews.ReviewVocab;
import dev.tether.tasks.reviews.TextMetrics;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Diversity and length on texts worked by hand, and the demo task's definitions for its own EOS. */
class ResponseStatsTest {
    private static int[] text(String s) {
        return ReviewTokenizer.encode(s, false);
    }

    private static final List<int[]> RESPONSES = List.of(
            text("was good . <eos>"),
            text("was good . <eos> <pad> <pad>"),
            text("nice nice nice"));

    @Test
    void handWorked() {
        ResponseStats s = ResponseStats.of(RESPONSES, ReviewVocab.EOS);
        // Words: was good . | was good . | nice nice nice → 9, of which 4 distinct.
        assertThat(s.distinct1()).isCloseTo(4.0 / 9, within(1e-12));
        // Bigrams: (was good)(good .) twice, (nice nice) twice → 3 of 6.
        assertThat(s.distinct2()).isEqualTo(0.5);
        // Adjacent pairs 2 + 2 + 2, of which "nice nice" twice.
        assertThat(s.repetition()).isCloseTo(2.0 / 6, within(1e-12));
        // Up to and including EOS: 4, 4, and 3 without one.
        assertThat(s.meanLength()).isCloseTo(11.0 / 3, within(1e-12));
        assertThat(s.eosRate()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void theSameAsTheDemoTasksTextMetricsForItsEos() {
        List<int[]> responses = List.of(text("was good . <eos>"), text("is not very bad and the pizza was nice . <eos>"),
                text("nice nice great nice"), text("was was . . <eos>"), text("<eos>"));
        ResponseStats s = ResponseStats.of(responses, ReviewVocab.EOS);
        List<int[]> prompts = Collections.nCopies(responses.size(), ReviewPrompts.ids("coffee"));
        var demo = TextMetrics.summary(prompts, responses, GoldReward.DEFAULT);
        assertThat(s.distinct1()).isEqualTo(demo.get("distinct_1"));
        assertThat(s.distinct2()).isEqualTo(demo.get("distinct_2"));
        assertThat(s.repetition()).isEqualTo(demo.get("repetition_rate"));
        assertThat(s.meanLength()).isEqualTo(demo.get("mean_length"));
        assertThat(s.eosRate()).isEqualTo(demo.get("eos_rate"));
    }

    @Test
    void anotherEosIdCutsThereAndNowhereElse() {
        // With EOS = 7 ("and"), the review language's EOS id 2 is an ordinary word.
        ResponseStats s = ResponseStats.of(List.of(new int[] {5, 2, 2, 7, 9, 9}), 7);
        assertThat(s.meanLength()).isEqualTo(4.0);
        assertThat(s.repetition()).isEqualTo(0.5);
        assertThat(s.eosRate()).isEqualTo(1.0);
    }
}
