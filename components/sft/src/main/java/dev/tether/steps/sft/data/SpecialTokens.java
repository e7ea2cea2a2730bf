package dev.tether.steps.sft.data;

import static dev.tether.step.ParameterSpec.optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.models.config.GenerationConfig;
import dev.tether.models.config.ModelConfig;
import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import dev.tether.step.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * BOS, EOS and PAD ids. Each is taken from the first source that knows it: the step's parameter,
 * the starting policy (generation_config.json, then config.json), the tokenizer's
 * special_tokens_map.json, then its tokenizer_config.json (token texts looked up in tokenizer.json).
 */
public record SpecialTokens(OptionalInt bos, OptionalInt eos, OptionalInt pad) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String BOS = "bos_token_id";
    public static final String EOS = "eos_token_id";
    public static final String PAD = "pad_token_id";

    public static SpecialTokens none() {
        return new SpecialTokens(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
    }

    /** The three parameters; −1 means "from the policy or the tokenizer". */
    public static List<ParameterSpec> parameters() {
        return List.of(
                optional(BOS, ParamType.INT, "-1", "Beginning-of-sequence id; -1: from the starting policy or the tokenizer's special_tokens_map.json."),
                optional(EOS, ParamType.INT, "-1", "End-of-sequence id (appended to encoded texts, and where sampling stops); -1: from the policy or the tokenizer."),
                optional(PAD, ParamType.INT, "-1", "Padding id; -1: from the policy or the tokenizer, else the EOS id."));
    }

    public static SpecialTokens fromParameters(StepContext ctx) {
        return new SpecialTokens(param(ctx, BOS), param(ctx, EOS), param(ctx, PAD));
    }

    public static SpecialTokens fromPolicy(ModelConfig config, Optional<GenerationConfig> g) {
        OptionalInt bos = g.map(GenerationConfig::bosTokenId).filter(OptionalInt::isPresent).orElse(config.bosTokenId());
        OptionalInt eos = g.filter(x -> !x.eosTokenIds().isEmpty()).map(x -> OptionalInt.of(x.eosTokenIds().get(0)))
                .orElse(config.eosTokenId());
        OptionalInt pad = g.map(GenerationConfig::padTokenId).orElse(OptionalInt.empty());
        return new SpecialTokens(bos, eos, pad);
    }

    /** From special_tokens_map.json, then tokenizer_config.json, beside tokenizer.json in {@code dir}. */
    public static SpecialTokens fromTokenizer(Path dir, Vocabulary vocab) {
        SpecialTokens found = none();
        for (String name : List.of("special_tokens_map.json", "tokenizer_config.json")) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            JsonNode root;
            try {
                root = JSON.readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new ArtifactException(file + ": not readable JSON: " + e.getMessage());
            }
            found = found.or(new SpecialTokens(token(file, root, "bos_token", vocab), token(file, root, "eos_token", vocab),
                    token(file, root, "pad_token", vocab)));
        }
        return found;
    }

    /** Each id from this, else from {@code other}. */
    public SpecialTokens or(SpecialTokens other) {
        return new SpecialTokens(bos.isPresent() ? bos : other.bos, eos.isPresent() ? eos : other.eos, pad.isPresent() ? pad : other.pad);
    }

    /** The pad id to write into batches: PAD, else EOS, else 0 (masked out either way). */
    public int padOrEos() {
        return pad.orElse(eos.orElse(0));
    }

    /** Every known id must be a token of the model. */
    public void requireWithin(int vocabSize) {
        check(BOS, bos, vocabSize);
        check(EOS, eos, vocabSize);
        check(PAD, pad, vocabSize);
    }

    private static void check(String name, OptionalInt id, int vocab) {
        if (id.isPresent() && id.getAsInt() >= vocab) {
            throw new IllegalArgumentException(name + ": " + id.getAsInt() + " is outside the model's vocabulary [0, " + vocab + ")");
        }
    }

    private static OptionalInt param(StepContext ctx, String name) {
        long v = ctx.integer(name);
        if (v < -1) {
            throw new IllegalArgumentException(name + ": expected a token id ≥ 0, or -1 for automatic, got " + v);
        }
        return v < 0 ? OptionalInt.empty() : OptionalInt.of(Math.toIntExact(v));
    }

    // "<eos>" or {"content": "<eos>", ...}, as transformers writes either.
    private static OptionalInt token(Path file, JsonNode root, String key, Vocabulary vocab) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return OptionalInt.empty();
        }
        String text = v.isTextual() ? v.asText() : v.path("content").asText(null);
        if (text == null) {
            throw new ArtifactException(file + ": " + key + ": expected a token text or {\"content\": ...}, found " + v);
        }
        OptionalInt id = vocab.id(text);
        if (id.isEmpty()) {
            throw new ArtifactException(file + ": " + key + ": \"" + text + "\" is not a token of " + vocab.file());
        }
        return id;
    }
}
