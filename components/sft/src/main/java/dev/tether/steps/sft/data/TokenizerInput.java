package dev.tether.steps.sft.data;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.models.checkpoint.CheckpointReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tokenizer a training step uses, and where it came from. A tokenizer is its own artifact,
 * schema {@value #SCHEMA}: {@code tokenizer.json}, optionally with {@code tokenizer_config.json}
 * and {@code special_tokens_map.json} (the files a Hugging Face checkpoint carries). It is an
 * artifact of its own, rather than a file inside the text or preference data, because one
 * tokenizer must reach the policy and the reward model byte for byte (the reward step compares
 * their digests) while the data differ. A starting policy carries its tokenizer too; when both are
 * given they must be the same bytes. With neither, the data must be token ids.
 *
 * @param dir the folder holding tokenizer.json, if any
 * @param files tokenizer.json and its companions, verbatim, to copy into what the step writes
 */
public record TokenizerInput(Optional<Path> dir, Optional<Vocabulary> vocabulary, Map<String, byte[]> files) {
    /** The tokenizer artifact's schema: tokenizer.json [+ tokenizer_config.json, special_tokens_map.json]. */
    public static final String SCHEMA = "tether.tokenizer";
    public static final String TOKENIZER_JSON = CheckpointReader.TOKENIZER;

    public TokenizerInput {
        files = Map.copyOf(files);
    }

    /** The tokenizer artifact's, else the policy's, else none. */
    public static TokenizerInput resolve(Optional<ArtifactReader> tokenizer, Optional<ArtifactReader> policy) {
        Optional<Path> fromPolicy = policy.map(ArtifactReader::dir).filter(d -> Files.isRegularFile(d.resolve(TOKENIZER_JSON)));
        Optional<Path> dir = fromPolicy;
        if (tokenizer.isPresent()) {
            Path file = tokenizer.get().file(TOKENIZER_JSON);
            if (fromPolicy.isPresent() && !Arrays.equals(bytes(file), bytes(fromPolicy.get().resolve(TOKENIZER_JSON)))) {
                throw new ArtifactException(file + ": differs from the starting policy's " + fromPolicy.get().resolve(TOKENIZER_JSON)
                        + " (the policy was trained with its own tokenizer: give one or the other, or the same)");
            }
            dir = Optional.of(tokenizer.get().dir());
        }
        if (dir.isEmpty()) {
            return new TokenizerInput(Optional.empty(), Optional.empty(), Map.of());
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : CheckpointReader.TOKENIZER_FILES) {
            Path p = dir.get().resolve(name);
            if (Files.isRegularFile(p)) {
                files.put(name, bytes(p));
            }
        }
        return new TokenizerInput(dir, Optional.of(Vocabulary.read(dir.get().resolve(TOKENIZER_JSON))), files);
    }

    /** The special ids the tokenizer's own files declare. */
    public SpecialTokens special() {
        return dir.isPresent() ? SpecialTokens.fromTokenizer(dir.get(), vocabulary.orElseThrow()) : SpecialTokens.none();
    }

    /**
     * A new model's vocabulary: {@code requested} if > 0 (it must hold the tokenizer's ids), else
     * the tokenizer's size.
     */
    public int newModelVocabulary(long requested, String parameter) {
        if (requested < 0 || requested > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(parameter + ": expected 0 (the tokenizer's) or a size ≥ 1, got " + requested);
        }
        if (requested > 0) {
            vocabulary.ifPresent(v -> v.requireFits((int) requested, "the model (" + parameter + ")"));
            return (int) requested;
        }
        return vocabulary.map(Vocabulary::size).orElseThrow(() -> new IllegalArgumentException(
                parameter + ": needed when no tokenizer is given (no tokenizer artifact, no starting policy with a tokenizer.json)"));
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new ArtifactException(p + ": cannot read: " + e.getMessage());
        }
    }
}
