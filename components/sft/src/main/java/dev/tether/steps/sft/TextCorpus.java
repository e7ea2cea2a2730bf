package dev.tether.steps.sft;

import dev.tether.steps.sft.data.JsonLines;
import dev.tether.steps.sft.data.LineTokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training sequences of a {@code text.jsonl}: {@code {"ids": [...]}} taken as is, else
 * {@code {"text": ...}} encoded with the tokenizer's special tokens and EOS appended. A sequence
 * longer than {@code maxLength} is cut (the model cannot read more), and counted.
 */
record TextCorpus(List<int[]> sequences, int truncated) {
    static final String FILE_NAME = "text.jsonl";
    static final String EXPECTED = "{\"text\": \"...\"} or {\"ids\": [token ids]}";

    static TextCorpus read(Path file, LineTokens tokens, int maxLength) {
        List<int[]> out = new ArrayList<>();
        int truncated = 0;
        for (JsonLines.Line line : JsonLines.read(file, EXPECTED)) {
            int[] ids = tokens.sequence(line, "ids", "text", true, true);
            if (ids.length < 2) {
                throw line.error("a training sequence needs at least 2 tokens (a token and the one it predicts), found " + ids.length);
            }
            if (ids.length > maxLength) {
                ids = Arrays.copyOf(ids, maxLength);
                truncated++;
            }
            out.add(ids);
        }
        return new TextCorpus(out, truncated);
    }

    List<int[]> rows(int[] indices) {
        List<int[]> rows = new ArrayList<>(indices.length);
        for (int i : indices) {
            rows.add(sequences.get(i));
        }
        return rows;
    }
}
