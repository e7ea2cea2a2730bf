package dev.tether.step;

/**
 * An artifact a step reads or writes: a directory following tether's artifact contract, with a
 * manifest of the given schema (e.g. {@code tether.rollout} version 1).
 *
 * @param optional for inputs only: the step runs without it
 */
public record ArtifactPort(String name, String schema, int schemaVersion, ArtifactKind kind, String description, boolean optional) {

    public ArtifactPort {
        StepDefinition.requireName("artifact", name);
        if (schema == null || schema.isBlank()) {
            throw new IllegalArgumentException("artifact " + name + ": a schema is required");
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("artifact " + name + ": schemaVersion must be ≥ 1");
        }
    }

    public static ArtifactPort of(String name, String schema, ArtifactKind kind, String description) {
        return new ArtifactPort(name, schema, 1, kind, description, false);
    }

    public ArtifactPort asOptional() {
        return new ArtifactPort(name, schema, schemaVersion, kind, description, true);
    }
}
