package dev.tether.core.formats;

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
 * Reads JSONL records where each line is an object with a required string field (e.g. "prompt"),
 * keeping the whole object so extra fields travel with it. Bad lines are reported with the file and
 * line number; blank lines are skipped; an empty file is an error.
 */
public final class PromptsFile {
    public static final String FILE_NAME = "prompts.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptsFile() {}

    /** One record: its 1-based line number, the required text, and the whole object. */
    public record Line(int lineNumber, String text, ObjectNode record) {}

    public static List<Line> read(Path file, String field) {
        if (!Files.isRegularFile(file)) {
            throw new ArtifactException(file + ": file not found (expected JSONL with a \"" + field + "\" string per line)");
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
                    throw new ArtifactException(file + " line " + n + ": not valid JSON (" + e.getOriginalMessage() + ")");
                }
                if (!(node instanceof ObjectNode obj)) {
                    throw new ArtifactException(file + " line " + n + ": expected a JSON object, found " + node.getNodeType());
                }
                JsonNode text = obj.get(field);
                if (text == null || !text.isTextual()) {
                    throw new ArtifactException(file + " line " + n + ": expected a \"" + field + "\" string, found "
                            + (text == null ? "no such field" : text.getNodeType().toString()));
                }
                if (text.asText().isEmpty()) {
                    throw new ArtifactException(file + " line " + n + ": \"" + field + "\" is empty");
                }
                lines.add(new Line(n, text.asText(), obj));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
        if (lines.isEmpty()) {
            throw new ArtifactException(file + ": no records (expected at least one line with a \"" + field + "\" string)");
        }
        return lines;
    }
}
