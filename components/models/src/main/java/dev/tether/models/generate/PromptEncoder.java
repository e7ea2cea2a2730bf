package dev.tether.models.generate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.formats.PromptsFile;
import java.nio.file.Path;

/**
 * A prompts line as token ids, as the rollout and evaluate steps read it: {@code prompt_ids} when the
 * line has them, else the {@code prompt} text through the policy's tokenizer. Ids outside the
 * policy's vocabulary are refused here, with the file and line, not deep inside the model.
 */
public final class PromptEncoder {
    private final HuggingFaceTokenizer tokenizer;
    private final Path file;
    private final int vocab;

    /** @param tokenizer null when the policy has no tokenizer.json (then every line needs prompt_ids) */
    public PromptEncoder(HuggingFaceTokenizer tokenizer, Path file, int vocab) {
        this.tokenizer = tokenizer;
        this.file = file;
        this.vocab = vocab;
    }

    public int[] encode(PromptsFile.Line line) {
        JsonNode ids = line.record().get("prompt_ids");
        int[] out;
        if (ids != null) {
            if (!ids.isArray() || ids.isEmpty()) {
                throw new ArtifactException(file + " line " + line.lineNumber() + ": \"prompt_ids\" must be a non-empty array of token ids");
            }
            out = new int[ids.size()];
            for (int i = 0; i < out.length; i++) {
                if (!ids.get(i).canConvertToInt() || !ids.get(i).isIntegralNumber()) {
                    throw new ArtifactException(file + " line " + line.lineNumber() + ": \"prompt_ids\"[" + i + "]: expected an integer, found " + ids.get(i));
                }
                out[i] = ids.get(i).asInt();
            }
        } else if (tokenizer == null) {
            throw new ArtifactException(file + " line " + line.lineNumber() + ": text prompt but the policy has no tokenizer.json (give \"prompt_ids\" instead)");
        } else {
            long[] enc = tokenizer.encode(line.text()).getIds();
            out = new int[enc.length];
            for (int i = 0; i < enc.length; i++) {
                out[i] = (int) enc[i];
            }
        }
        for (int id : out) {
            if (id < 0 || id >= vocab) {
                throw new ArtifactException(file + " line " + line.lineNumber() + ": token id " + id + " outside the policy's vocabulary [0, " + vocab + ")");
            }
        }
        return out;
    }
}
