package dev.tether.steps.evaluate;

import dev.tether.models.checkpoint.CheckpointReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The sha256 of a folder's tokenizer.json ("none" without one), as the rollout and reward steps
 * compare them: a reward model reads the policy's token ids as they are, so the two must share a
 * tokenizer or the reward model scores other words than the policy wrote.
 */
final class TokenizerDigest {
    static final String NONE = "none";

    private TokenizerDigest() {}

    static String of(Path dir) {
        Path t = dir.resolve(CheckpointReader.TOKENIZER);
        if (!Files.exists(t)) {
            return NONE;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(t)));
        } catch (IOException e) {
            throw new UncheckedIOException(t + ": cannot read", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
