package dev.tether.tasks.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.CanonicalJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer.json written in Java, loaded by Hugging Face's own tokenizers library (Rust,
 * through DJL): the same ids as {@link ReviewTokenizer} for every sentence, and back to the same
 * text. If the JSON were malformed for tokenizers, loading would fail here, not in a user's
 * Python session.
 */
class HfTokenizerDjlTest {

    @TempDir
    static Path dir;
    static HuggingFaceTokenizer hf;

    @BeforeAll
    static void load() throws Exception {
        HfTokenizerFiles.write(dir);
        hf = HuggingFaceTokenizer.newInstance(dir, Map.of());
    }

    @AfterAll
    static void close() {
        hf.close();
    }

    private static int[] ints(long[] ids) {
        return Arrays.stream(ids).mapToInt(Math::toIntExact).toArray();
    }

    @Test
    void everyWordIsItsOwnTokenWithTheJavaId() {
        List<String> words = ReviewVocab.words();
        for (int id = 3; id < words.size(); id++) {
            Encoding e = hf.encode(words.get(id), false, false);
            assertThat(e.getIds()).as(words.get(id)).containsExactly(id);
        }
        // The special tokens are recognised inside text too.
        assertThat(hf.encode("<bos> the food <eos> <pad>", false, false).getIds())
                .containsExactly(1, 3, 15, 2, 0);
    }

    @Test
    void promptsEncodeToTheDemoPromptIdsWithTheBosTemplate() {
        for (String noun : ReviewVocab.NOUNS) {
            int[] expected = ReviewPrompts.ids(noun);
            // The default encode adds special tokens: the template puts <bos> first, no <eos>.
            assertThat(ints(hf.encode(ReviewPrompts.text(noun)).getIds())).containsExactly(expected);
            assertThat(ReviewTokenizer.encode(ReviewPrompts.text(noun), true)).containsExactly(expected);
        }
        assertThat(hf.encode("the coffee").getIds()).containsExactly(1, 3, 31);
    }

    @Test
    void generatedSentencesRoundTripWithTheSameIdsAsJava() {
        ReviewGenerator generator = new ReviewGenerator(GeneratorConfig.RECIPE, 7);
        for (int i = 0; i < 500; i++) {
            Review review = generator.next();
            int[] tokens = review.tokens();
            int[] withoutEos = Arrays.copyOf(tokens, tokens.length - 1);
            String text = review.text();

            int[] hfIds = ints(hf.encode(text).getIds());
            assertThat(hfIds).as(text).containsExactly(withoutEos);
            assertThat(ReviewTokenizer.encode(text, true)).as(text).containsExactly(hfIds);

            long[] asLong = Arrays.stream(tokens).asLongStream().toArray();
            assertThat(hf.decode(asLong, true)).isEqualTo(text)
                    .isEqualTo(ReviewTokenizer.decode(tokens, true));
            assertThat(hf.decode(asLong, false)).isEqualTo(ReviewTokenizer.decode(tokens, false))
                    .startsWith("<bos> the ").endsWith(" . <eos>");
        }
    }

    @Test
    void whitespacePreTokenizerSplitsPunctuationLikeJava() {
        // "good." without a space: both split it into [good, .]; extra spaces vanish.
        String text = "the food was good.";
        assertThat(hf.encode(text, false, false).getIds()).containsExactly(3, 15, 4, 35, 9);
        assertThat(ReviewTokenizer.encode(text, false)).containsExactly(3, 15, 4, 35, 9);
        String spaced = "  the   food\twas\ngood .  ";
        assertThat(ReviewTokenizer.encode(spaced, false))
                .containsExactly(ints(hf.encode(spaced, false, false).getIds()));
        // Special tokens are cut out before the pre-tokenizer sees the text.
        for (String tricky : List.of("was superb .<eos><pad>", "the<eos>food", ".<bos>.",
                "<pad><pad> the", "good . .", "")) {
            assertThat(ReviewTokenizer.encode(tricky, true)).as(tricky)
                    .containsExactly(ints(hf.encode(tricky).getIds()));
        }
        assertThat(ReviewTokenizer.encode("was superb .<eos><pad>", false))
                .containsExactly(4, 38, 9, 2, 0);
    }

    @Test
    void anUnknownWordIsRefusedByBoth() {
        // The model's <unk> is not in the vocabulary, so tokenizers refuses instead of guessing.
        assertThatThrownBy(() -> hf.encode("the food was yummy ."))
                .hasMessageContaining("Missing [UNK] token");
        assertThatThrownBy(() -> ReviewTokenizer.encode("the food was yummy .", true))
                .hasMessageContaining("'yummy' is not a word");
        // "..": one piece for the Whitespace pre-tokenizer, and not a word.
        assertThatThrownBy(() -> hf.encode("good..")).hasMessageContaining("Missing [UNK] token");
        assertThatThrownBy(() -> ReviewTokenizer.encode("good..", true))
                .hasMessageContaining("'..' is not a word");
    }

    @Test
    void theFilesAreWhatTransformersReads() throws Exception {
        JsonNode config = CanonicalJson.mapper().readTree(
                dir.resolve(HfTokenizerFiles.TOKENIZER_CONFIG_JSON).toFile());
        assertThat(config.get("bos_token").asText()).isEqualTo("<bos>");
        assertThat(config.get("eos_token").asText()).isEqualTo("<eos>");
        assertThat(config.get("pad_token").asText()).isEqualTo("<pad>");
        assertThat(config.get("tokenizer_class").asText()).isEqualTo("PreTrainedTokenizerFast");
        assertThat(config.get("model_max_length").asInt()).isEqualTo(16);
        JsonNode tokenizer = CanonicalJson.mapper().readTree(
                dir.resolve(HfTokenizerFiles.TOKENIZER_JSON).toFile());
        assertThat(tokenizer.at("/model/vocab").size()).isEqualTo(65);
        assertThat(tokenizer.at("/model/vocab/extremely").asInt()).isEqualTo(14);
        assertThat(tokenizer.at("/model/vocab/lousy").asInt()).isEqualTo(64);
        assertThat(tokenizer.at("/added_tokens").size()).isEqualTo(3);
        // Written twice, the same bytes (sorted keys): a checkpoint's digest does not drift.
        Path again = Files.createDirectories(dir.resolve("again"));
        HfTokenizerFiles.write(again);
        for (String f : List.of(HfTokenizerFiles.TOKENIZER_JSON,
                HfTokenizerFiles.TOKENIZER_CONFIG_JSON, HfTokenizerFiles.SPECIAL_TOKENS_MAP_JSON)) {
            assertThat(HexFormat.of().formatHex(Files.readAllBytes(again.resolve(f))))
                    .isEqualTo(HexFormat.of().formatHex(Files.readAllBytes(dir.resolve(f))));
        }
    }
}
