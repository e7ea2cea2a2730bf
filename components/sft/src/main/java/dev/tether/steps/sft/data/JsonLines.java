package dev.tether.steps.sft.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSONL records, each kept with its file and 1-based line number so that every later error (a
 * missing field, a token id outside the vocabulary, a word the tokenizer does not know) can say
 * where it is. Unlike {@code PromptsFile} no string field is required: a line may hold token ids
 * only. Blank lines are skipped; a file without records is an error.
 */
public final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    /** One record and where it came from. */
    public record Line(Path file, int number, ObjectNode record) {

        public boolean has(String field) {
            JsonNode v = record.get(field);
            return v != null && !v.isNull();
        }

        /** A bad-input error naming the file and line. */
        public ArtifactException error(String message) {
            return new ArtifactException(file + " line " + number + ": " + message);
        }
    }

    /** @param expected what a line should look like, for the messages: {@code {"text": ...}} */
    public static List<Line> read(Path file, String expected) {
        if (!Files.isRegularFile(file)) {
            throw new ArtifactException(file + ": file not found (expected JSONL, one " + expected + " a line)");
        }
        List<Line> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String raw;
            int n = 0;
            while ((raw = in.readLine()) != null) {
                n++;
                if (raw.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(raw);
                } catch (JsonProcessingException e) {
                    throw new ArtifactException(file + " line " + n + ": not valid JSON (" + parserMessage(e) + "); expected " + expected);
                }
                if (!(node instanceof ObjectNode obj)) {
                    throw new ArtifactException(file + " line " + n + ": expected a JSON object " + expected + ", found " + node.getNodeType());
                }
                lines.add(new Line(file, n, obj));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
        if (lines.isEmpty()) {
            throw new ArtifactException(file + ": no records (expected at least one line " + expected + ")");
        }
        return lines;
    }

    // Jackson appends where in its input buffer it was; the file and line say it better.
    private static String parserMessage(JsonProcessingException e) {
        return e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*at \\[Source:[^\\]]*\\]", "");
    }
}
