package dev.tether.tasks.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReviewTokenizerTest {

    @Test
    void encodesWordsAndSpecialTokens() {
        assertThat(ReviewTokenizer.encode("the coffee", true)).containsExactly(1, 3, 31);
        assertThat(ReviewTokenizer.encode("the coffee", false)).containsExactly(3, 31);
        assertThat(ReviewTokenizer.encode("was superb .<eos><pad>", false))
                .containsExactly(4, 38, 9, 2, 0);
        assertThat(ReviewTokenizer.encode("", true)).containsExactly(1);
        assertThat(ReviewTokenizer.encode("   ", false)).isEmpty();
    }

    @Test
    void decodesWithAndWithoutSpecialTokens() {
        int[] ids = {1, 3, 31, 4, 38, 9, 2, 0};
        assertThat(ReviewTokenizer.decode(ids, true)).isEqualTo("the coffee was superb .");
        assertThat(ReviewTokenizer.decode(ids, false))
                .isEqualTo("<bos> the coffee was superb . <eos> <pad>");
        assertThat(ReviewTokenizer.decode(new int[0], false)).isEmpty();
    }

    @Test
    void refusesWhatIsNotInTheLanguageAndSaysWhere() {
        assertThatThrownBy(() -> ReviewTokenizer.encode("the Coffee", true))
                .hasMessage("text \"the Coffee\", character 4: 'Coffee' is not a word of the "
                        + "review language");
        assertThatThrownBy(() -> ReviewTokenizer.encode("the food was good!", true))
                .hasMessageContaining("'!'");
        assertThatThrownBy(() -> ReviewTokenizer.decode(new int[] {1, 65}, true))
                .hasMessage("ids[1]: expected a token id in [0, 65), found 65");
    }
}
