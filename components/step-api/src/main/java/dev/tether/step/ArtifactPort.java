package dev.tether.step;

/**
 * An artifact a step reads or writes: a directory following tether's artifact contract, with a
 * manifest of the given schema (e.g. {@code tether.rollout} version 1).
 *
 * @param optional for inputs only: the step runs without it
 * @param shards for inputs only: the directory holds the shards of a fan-out, one artifact of the
 *     schema per subdirectory, rather than one artifact (see {@link Sharding#open})
 */
public record ArtifactPort(String name, String schema, int schemaVersion, ArtifactKind kind, String description, boolean optional,
        boolean shards) {

    public ArtifactPort {
        StepDefinition.requireName("artifact", name);
        if (schema == null || schema.isBlank()) {
            throw new IllegalArgumentException("artifact " + name + ": a schema is required");
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("artifact " + name + ": schemaVersion must be ≥ 1");
        }
    }

    public ArtifactPort(String name, String schema, int schemaVersion, ArtifactKind kind, String description, boolean optional) {
        this(name, schema, schemaVersion, kind, description, optional, false);
    }

    public static ArtifactPort of(String name, String schema, ArtifactKind kind, String description) {
        return new ArtifactPort(name, schema, 1, kind, description, false, false);
    }

    public ArtifactPort asOptional() {
        return new ArtifactPort(name, schema, schemaVersion, kind, description, true, shards);
    }

    /** This input as the collected shards of a fan-out: a directory of {@code schema} artifacts. */
    public ArtifactPort asShards() {
        return new ArtifactPort(name, schema, schemaVersion, kind, description, optional, true);
    }
}
