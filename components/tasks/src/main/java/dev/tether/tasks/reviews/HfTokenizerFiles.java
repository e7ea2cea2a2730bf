package dev.tether.tasks.reviews;

import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.CanonicalJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The review language as Hugging Face tokenizer files, for a policy checkpoint in the Hugging Face
 * layout: {@code tokenizer.json} (read by tokenizers, transformers' PreTrainedTokenizerFast and
 * DJL's HuggingFaceTokenizer), {@code tokenizer_config.json} and {@code special_tokens_map.json}
 * (so transformers' AutoTokenizer knows BOS, EOS and PAD).
 *
 * <p>tokenizer.json: a WordLevel model over the 65 tokens, the {@code Whitespace} pre-tokenizer,
 * {@code <pad> <bos> <eos>} as special added tokens, no normaliser, no decoder (tokens are joined
 * with spaces), and a TemplateProcessing post-processor that puts {@code <bos>} first. The BOS is
 * added because the demo's prompts are {@code [BOS, the, NOUN]}: with it, encoding "the coffee"
 * the default way gives the prompt's ids in Python, DJL and {@link ReviewTokenizer} alike. EOS is
 * not added: an encoded prompt must stay open for the model to continue.
 *
 * <p>The WordLevel model's unknown token, {@code <unk>}, is deliberately not in the vocabulary:
 * the language has no unknown word, and tokenizers then refuses a word outside it instead of
 * mapping it to an id that means something else.
 */
public final class HfTokenizerFiles {

    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP_JSON = "special_tokens_map.json";
    static final String UNK_TOKEN = "<unk>";

    private HfTokenizerFiles() {}

    /** Writes the three files into {@code dir} (which must exist). */
    public static void write(Path dir) {
        AtomicFiles.write(dir.resolve(TOKENIZER_JSON), CanonicalJson.pretty(tokenizerJson()));
        AtomicFiles.write(dir.resolve(TOKENIZER_CONFIG_JSON),
                CanonicalJson.pretty(tokenizerConfig()));
        AtomicFiles.write(dir.resolve(SPECIAL_TOKENS_MAP_JSON),
                CanonicalJson.pretty(specialTokensMap()));
    }

    public static Map<String, Object> tokenizerJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "1.0");
        json.put("truncation", null);
        json.put("padding", null);
        json.put("added_tokens", addedTokens());
        json.put("normalizer", null);
        json.put("pre_tokenizer", Map.of("type", "Whitespace"));
        json.put("post_processor", bosTemplate());
        json.put("decoder", null);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<String> words = ReviewVocab.words();
        for (int id = 0; id < words.size(); id++) {
            vocab.put(words.get(id), id);
        }
        json.put("model", Map.of("type", "WordLevel", "vocab", vocab, "unk_token", UNK_TOKEN));
        return json;
    }

    public static Map<String, Object> tokenizerConfig() {
        Map<String, Object> json = new LinkedHashMap<>(specialTokensMap());
        json.put("tokenizer_class", "PreTrainedTokenizerFast");
        json.put("model_max_length", ReviewVocab.MAX_SENTENCE_TOKENS);
        // transformers would otherwise decode "good ." as "good.", and the text would no longer
        // be the corpus's text.
        json.put("clean_up_tokenization_spaces", false);
        return json;
    }

    public static Map<String, Object> specialTokensMap() {
        return Map.of("bos_token", ReviewVocab.BOS_TOKEN, "eos_token", ReviewVocab.EOS_TOKEN,
                "pad_token", ReviewVocab.PAD_TOKEN);
    }

    private static List<Map<String, Object>> addedTokens() {
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (int id : new int[] {ReviewVocab.PAD, ReviewVocab.BOS, ReviewVocab.EOS}) {
            Map<String, Object> token = new LinkedHashMap<>();
            token.put("id", id);
            token.put("content", ReviewVocab.word(id));
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            token.put("normalized", false);
            token.put("special", true);
            tokens.add(token);
        }
        return tokens;
    }

    private static Map<String, Object> bosTemplate() {
        Map<String, Object> bos = Map.of("SpecialToken",
                Map.of("id", ReviewVocab.BOS_TOKEN, "type_id", 0));
        Map<String, Object> a = Map.of("Sequence", Map.of("id", "A", "type_id", 0));
        Map<String, Object> b = Map.of("Sequence", Map.of("id", "B", "type_id", 1));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "TemplateProcessing");
        json.put("single", List.of(bos, a));
        json.put("pair", List.of(bos, a, b));
        json.put("special_tokens", Map.of(ReviewVocab.BOS_TOKEN, Map.of(
                "id", ReviewVocab.BOS_TOKEN, "ids", List.of(ReviewVocab.BOS),
                "tokens", List.of(ReviewVocab.BOS_TOKEN))));
        return json;
    }
}
