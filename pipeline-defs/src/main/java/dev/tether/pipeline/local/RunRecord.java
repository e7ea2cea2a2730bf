package dev.tether.pipeline.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.CanonicalJson;
import dev.tether.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <run>/run.json}: which pipeline a run folder belongs to and the arguments of its latest
 * attempt. A run id is reused to resume, so a folder holding another pipeline's tasks is refused
 * rather than mixed.
 */
record RunRecord(String pipeline, Map<String, String> parameters, Map<String, String> inputs) {

    static void claim(RunLayout layout, Pipeline pipeline, RunArguments args) {
        Path file = layout.runRecord();
        try {
            RunRecord before = CanonicalJson.mapper().readValue(Files.readAllBytes(file), RunRecord.class);
            if (!pipeline.name().equals(before.pipeline())) {
                throw new IllegalArgumentException("--run-id: " + layout.runDir() + " holds a run of pipeline " + before.pipeline()
                        + ", not " + pipeline.name() + "; choose another --run-id");
            }
        } catch (NoSuchFileException e) {
            // A new run.
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--run-id: " + file + " is not a tether run record (" + e.getOriginalMessage()
                    + "); choose another --run-id", e);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": cannot read: " + e, e);
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        args.inputs().forEach((k, v) -> inputs.put(k, v.toString()));
        try {
            Files.createDirectories(layout.runDir());
        } catch (IOException e) {
            throw new IllegalStateException(layout.runDir() + ": cannot create: " + e, e);
        }
        AtomicFiles.write(file, CanonicalJson.pretty(new RunRecord(pipeline.name(), args.parameters(), inputs)));
    }
}
