package dev.tether.pipeline.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <task>/outputs.json}: what a finished task was run with (its step, input digests, typed
 * parameters) and what it reported (output parameters, metrics). Written last, after every output
 * artifact is committed, so its presence means the task finished; downstream parameter wiring and
 * a resumed run read the reported values from it.
 *
 * @param inputs input port → digest of the artifact it was given
 * @param seconds how long the step took when it ran
 */
record TaskRecord(String step, Map<String, String> inputs, Map<String, Object> parameters, Map<String, Object> outputParameters,
        Map<String, Double> metrics, double seconds) {

    TaskRecord {
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        outputParameters = outputParameters == null ? Map.of() : Map.copyOf(outputParameters);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    void write(Path file) {
        AtomicFiles.write(file, CanonicalJson.pretty(this));
    }

    /** The record in {@code file}; empty when there is none or it cannot be read (the task then runs again). */
    static Optional<TaskRecord> read(Path file) {
        try {
            return Optional.of(CanonicalJson.mapper().readValue(Files.readAllBytes(file), TaskRecord.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException(file + ": cannot read: " + e, e);
        }
    }
}
