package dev.tether.tasks.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class ReviewVocabTest {

    @Test
    void sixtyFiveTokensInTheDocumentedOrder() {
        assertThat(ReviewVocab.SIZE).isEqualTo(65);
        assertThat(ReviewVocab.words()).hasSize(65);
        assertThat(new HashSet<>(ReviewVocab.words())).hasSize(65);
        assertThat(ReviewVocab.words().subList(0, 10)).containsExactly(
                "<pad>", "<bos>", "<eos>", "the", "was", "is", "not", "and", "but", ".");
        assertThat(ReviewVocab.id("very")).isEqualTo(10);
        assertThat(ReviewVocab.id("extremely")).isEqualTo(14);
        assertThat(ReviewVocab.id("food")).isEqualTo(15);
        assertThat(ReviewVocab.id("coffee")).isEqualTo(31);
        assertThat(ReviewVocab.id("game")).isEqualTo(34);
        assertThat(ReviewVocab.id("good")).isEqualTo(35);
        assertThat(ReviewVocab.id("bad")).isEqualTo(50);
        assertThat(ReviewVocab.id("lousy")).isEqualTo(64);
        assertThat(ReviewVocab.POSITIVE).hasSize(15);
        assertThat(ReviewVocab.NEGATIVE).hasSize(15);
        assertThat(ReviewVocab.NOUNS).hasSize(20);
        assertThat(ReviewVocab.INTENSIFIERS).hasSize(5);
    }

    @Test
    void classesAndPolarityPartitionTheIds() {
        int nouns = 0;
        int intensifiers = 0;
        int positive = 0;
        int negative = 0;
        for (int id = -2; id < 70; id++) {
            nouns += ReviewVocab.isNoun(id) ? 1 : 0;
            intensifiers += ReviewVocab.isIntensifier(id) ? 1 : 0;
            positive += ReviewVocab.polarity(id) > 0 ? 1 : 0;
            negative += ReviewVocab.polarity(id) < 0 ? 1 : 0;
            assertThat(ReviewVocab.isAdjective(id)).isEqualTo(ReviewVocab.polarity(id) != 0);
        }
        assertThat(new int[] {nouns, intensifiers, positive, negative})
                .containsExactly(20, 5, 15, 15);
        assertThat(ReviewVocab.polarity(ReviewVocab.id("superb"))).isEqualTo(1);
        assertThat(ReviewVocab.polarity(ReviewVocab.id("dull"))).isEqualTo(-1);
        assertThat(ReviewVocab.polarity(ReviewVocab.NOT)).isZero();
    }

    @Test
    void unknownWordsAndIdsAreNamed() {
        assertThatThrownBy(() -> ReviewVocab.id("yummy")).hasMessageContaining("'yummy'");
        assertThatThrownBy(() -> ReviewVocab.noun("good")).hasMessageContaining("not a noun");
        assertThat(ReviewVocab.word(65)).isEqualTo("#65");
        assertThat(ReviewVocab.word(-1)).isEqualTo("#-1");
    }
}
