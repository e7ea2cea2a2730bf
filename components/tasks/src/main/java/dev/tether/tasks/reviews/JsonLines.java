package dev.tether.tasks.reviews;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.CanonicalJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines as tether writes them everywhere: one compact object a line, keys sorted, '\n' line
 * ends, written atomically; so the same rows are the same bytes.
 */
public final class JsonLines {

    private JsonLines() {}

    public static Path write(Path file, Iterable<?> rows) {
        AtomicFiles.writeStream(file, out -> {
            for (Object row : rows) {
                out.write(CanonicalJson.compact(row).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        });
        return file;
    }

    /** Reads every non-blank line as a {@code type}; a bad line is named by file and number. */
    public static <T> List<T> read(Path file, Class<T> type) {
        List<T> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rows.add(CanonicalJson.mapper().readValue(line, type));
                } catch (JsonProcessingException e) {
                    throw new ArtifactException(file + ":" + number + ": expected a "
                            + type.getSimpleName() + " as JSON, found: " + e.getOriginalMessage(),
                            e);
                }
            }
        } catch (IOException e) {
            throw new ArtifactException(file + ": cannot read: " + e, e);
        }
        return rows;
    }
}
