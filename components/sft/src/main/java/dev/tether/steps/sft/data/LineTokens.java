package dev.tether.steps.sft.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.ArtifactException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a field of a JSONL record into token ids: an ids field ({@code [1, 5, 9]}) is taken as it
 * is; a text field goes through the tokenizer (Hugging Face tokenizers via DJL, offline). Ids win
 * when a record has both, because they are exact: the demo's data carries both, and its ids end
 * with EOS while a tokenizer adds only BOS. So that both spellings train the same thing, an encoded
 * text that ends a sequence gets EOS appended ({@code append_eos}); given ids are never changed.
 * Every id is checked against the model's vocabulary, and every error names the file and line.
 */
public final class LineTokens implements AutoCloseable {
    private static final Pattern WORDS = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    private final HuggingFaceTokenizer tokenizer;
    private final Path tokenizerFile;
    private final Vocabulary vocabulary;
    private final int vocabSize;
    private final OptionalInt eos;
    private final boolean appendEos;

    private LineTokens(HuggingFaceTokenizer tokenizer, Path tokenizerFile, Vocabulary vocabulary, int vocabSize, OptionalInt eos,
            boolean appendEos) {
        this.tokenizer = tokenizer;
        this.tokenizerFile = tokenizerFile;
        this.vocabulary = vocabulary;
        this.vocabSize = vocabSize;
        this.eos = eos;
        this.appendEos = appendEos;
    }

    /** @param tokenizer without a tokenizer.json, the data must be ids */
    public static LineTokens open(TokenizerInput tokenizer, int vocabSize, OptionalInt eos, boolean appendEos) {
        if (tokenizer.dir().isEmpty()) {
            return new LineTokens(null, null, null, vocabSize, eos, appendEos);
        }
        Path file = tokenizer.dir().get().resolve(TokenizerInput.TOKENIZER_JSON);
        try {
            return new LineTokens(HuggingFaceTokenizer.newInstance(file, Map.of()), file, tokenizer.vocabulary().orElseThrow(), vocabSize,
                    eos, appendEos);
        } catch (IOException | RuntimeException e) {
            throw new ArtifactException(file + ": cannot load as a Hugging Face tokenizer: " + e.getMessage());
        }
    }

    /**
     * The ids of {@code idsField} if the record has it, else {@code textField} encoded.
     *
     * @param addSpecialTokens let the tokenizer's post-processor add its tokens (BOS) to the text
     * @param endsSequence the text is the end of a sequence: EOS is appended (with append_eos)
     */
    public int[] sequence(JsonLines.Line line, String idsField, String textField, boolean addSpecialTokens, boolean endsSequence) {
        if (line.has(idsField)) {
            return ids(line, idsField);
        }
        if (line.has(textField)) {
            return text(line, textField, addSpecialTokens, endsSequence);
        }
        throw line.error("expected a \"" + textField + "\" string or a \"" + idsField + "\" array of token ids, found neither (fields: "
                + fieldNames(line) + ")");
    }

    /** Whether the record has either spelling of a field. */
    public static boolean has(JsonLines.Line line, String idsField, String textField) {
        return line.has(idsField) || line.has(textField);
    }

    public int[] ids(JsonLines.Line line, String field) {
        JsonNode v = line.record().get(field);
        if (!v.isArray() || v.isEmpty()) {
            throw line.error("\"" + field + "\": expected a non-empty array of token ids, found " + describe(v));
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode id = v.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw line.error("\"" + field + "\"[" + i + "]: expected an integer token id, found " + id);
            }
            out[i] = id.asInt();
        }
        return checked(line, field, out);
    }

    public int[] text(JsonLines.Line line, String field, boolean addSpecialTokens, boolean endsSequence) {
        JsonNode v = line.record().get(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw line.error("\"" + field + "\": expected a non-empty string, found " + describe(v));
        }
        if (tokenizer == null) {
            throw line.error("\"" + field + "\" is text but no tokenizer was given (give a tokenizer artifact, or the token ids instead of the text)");
        }
        long[] encoded;
        try {
            encoded = tokenizer.encode(v.asText(), addSpecialTokens, false).getIds();
        } catch (RuntimeException e) {
            throw line.error("\"" + field + "\": " + tokenizerFile + " cannot encode it: " + e.getMessage() + unknownWord(v.asText()));
        }
        int[] out = Arrays.stream(encoded).mapToInt(Math::toIntExact).toArray();
        if (endsSequence && appendEos) {
            if (eos.isEmpty()) {
                throw line.error("append_eos is set but no EOS id is known (give eos_token_id, or a tokenizer with special_tokens_map.json)");
            }
            if (out.length == 0 || out[out.length - 1] != eos.getAsInt()) {
                out = Arrays.copyOf(out, out.length + 1);
                out[out.length - 1] = eos.getAsInt();
            }
        }
        if (out.length == 0) {
            throw line.error("\"" + field + "\": the tokenizer produced no tokens for \"" + v.asText() + "\"");
        }
        return checked(line, field, out);
    }

    /** The tokenizers library does not say which word failed; for word-level vocabularies this finds it. */
    private String unknownWord(String text) {
        Matcher m = WORDS.matcher(text);
        while (m.find()) {
            if (vocabulary.id(m.group()).isEmpty()) {
                return " (\"" + m.group() + "\" is not in its vocabulary)";
            }
        }
        return "";
    }

    private int[] checked(JsonLines.Line line, String field, int[] ids) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw line.error("\"" + field + "\": token id " + ids[i] + " at position " + i + " is outside the model's vocabulary [0, "
                        + vocabSize + ")");
            }
        }
        return ids;
    }

    private static String describe(JsonNode v) {
        String s = v.toString();
        return v.getNodeType() + " " + (s.length() > 40 ? s.substring(0, 40) + "…" : s);
    }

    private static String fieldNames(JsonLines.Line line) {
        StringBuilder b = new StringBuilder();
        line.record().fieldNames().forEachRemaining(n -> b.append(b.length() == 0 ? "" : ", ").append(n));
        return b.length() == 0 ? "none" : b.toString();
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
