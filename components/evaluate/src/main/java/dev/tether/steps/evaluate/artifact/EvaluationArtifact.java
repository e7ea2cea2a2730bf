package dev.tether.steps.evaluate.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An evaluation artifact ({@value #SCHEMA}): evaluation.json, samples.jsonl, report.html,
 * report.md and charts/*.svg. What evaluate writes and what a later evaluate (as its history) and
 * compare read.
 */
public record EvaluationArtifact(Path dir, Evaluation evaluation, List<SampleRow> samples) {

    public static final String SCHEMA = "tether.evaluation";
    public static final int VERSION = 1;

    // Primitives must be present: a point without its iteration is a broken file, not iteration 0.
    private static final ObjectReader EVALUATION = CanonicalJson.mapper().readerFor(Evaluation.class)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
    private static final ObjectReader SAMPLE = CanonicalJson.mapper().readerFor(SampleRow.class)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Reads an opened (schema-checked, digest-verified) evaluation artifact. */
    public static EvaluationArtifact read(ArtifactReader artifact) {
        Path json = artifact.file(Evaluation.FILE_NAME);
        Evaluation evaluation;
        try {
            evaluation = EVALUATION.readValue(Files.readAllBytes(json));
        } catch (JsonProcessingException e) {
            throw new ArtifactException(json + ": not an evaluation: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ArtifactException(json + ": cannot read: " + e, e);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException(json + ": " + e.getMessage());
        }
        return new EvaluationArtifact(artifact.dir(), evaluation, readSamples(artifact.file(Evaluation.SAMPLES_FILE_NAME)));
    }

    private static List<SampleRow> readSamples(Path file) {
        List<SampleRow> rows = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ArtifactException(file + ": cannot read: " + e, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                rows.add(SAMPLE.readValue(lines.get(i)));
            } catch (JsonProcessingException e) {
                throw new ArtifactException(file + " line " + (i + 1) + ": not a sample: " + e.getOriginalMessage());
            }
        }
        return rows;
    }
}
