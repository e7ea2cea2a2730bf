package dev.tether.steps.sft.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.core.artifact.ArtifactException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The token ids a {@code tokenizer.json} can produce, read from the file itself: the model's vocab
 * (WordLevel, BPE, WordPiece: token → id; Unigram: [piece, score] at index = id) and the added
 * tokens. A model needs an embedding row for each, so its vocabulary must be at least
 * {@link #size()}; a smaller one would index past the embedding at the first rare token.
 *
 * @param size largest id + 1
 * @param largestToken the token with the largest id, to name in errors
 * @param ids token text → id, for resolving special tokens by name
 */
public record Vocabulary(Path file, int size, String largestToken, Map<String, Integer> ids) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Vocabulary {
        ids = Map.copyOf(ids);
    }

    public static Vocabulary read(Path tokenizerJson) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(tokenizerJson));
        } catch (IOException e) {
            throw new ArtifactException(tokenizerJson + ": not readable JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ArtifactException(tokenizerJson + ": expected a JSON object (a Hugging Face tokenizer.json)");
        }
        Map<String, Integer> ids = new HashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ids.put(e.getKey(), id(tokenizerJson, "model.vocab." + e.getKey(), e.getValue()));
            }
        } else if (vocab.isArray()) {
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i).path(0).asText(), i);
            }
        } else {
            throw new ArtifactException(tokenizerJson + ": model.vocab: expected an object (token → id) or an array (Unigram), found "
                    + vocab.getNodeType());
        }
        for (JsonNode added : root.path("added_tokens")) {
            ids.put(added.path("content").asText(), id(tokenizerJson, "added_tokens[].id", added.path("id")));
        }
        if (ids.isEmpty()) {
            throw new ArtifactException(tokenizerJson + ": the vocabulary is empty");
        }
        String largest = null;
        int max = -1;
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            if (e.getValue() > max || (e.getValue() == max && e.getKey().compareTo(largest) < 0)) {
                max = e.getValue();
                largest = e.getKey();
            }
        }
        return new Vocabulary(tokenizerJson, max + 1, largest, ids);
    }

    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Refuses a model vocabulary smaller than this tokenizer's: {@code model} names it in the message. */
    public void requireFits(int modelVocab, String model) {
        if (size > modelVocab) {
            throw new ArtifactException(file + ": token \"" + largestToken + "\" has id " + (size - 1) + ", but " + model
                    + " has a vocabulary of " + modelVocab + " (the tokenizer's vocabulary is larger than the model's)");
        }
    }

    private static int id(Path file, String field, JsonNode v) {
        if (!v.canConvertToInt() || v.asInt() < 0) {
            throw new ArtifactException(file + ": " + field + ": expected a token id ≥ 0, found " + v);
        }
        return v.asInt();
    }
}
