package dev.tether.pipeline.compile;

import dev.tether.core.TetherVersion;
import dev.tether.step.StepDefinition;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a compile needs beyond the pipeline: where the images are, how the containers are started,
 * and which Argo artifact repository (a ConfigMap, so no credentials are in the spec) holds the
 * artifacts. The committed specs use {@link #defaults()}.
 *
 * @param registry e.g. {@code ghcr.io/tether-dev}
 * @param tag the image tag, by default the project version, so a spec runs the images it was compiled with
 * @param command the containers' command (see {@link ImageContract#COMMAND})
 * @param artifactRepositoryConfigMap the ConfigMap holding Argo artifact repositories
 * @param artifactRepositoryKey the key in it of the S3-compatible repository tether uses
 * @param retries how often a failed step is retried (exit 1, evictions, OOM kills; never a refusal, exit 2 or 3)
 */
public record CompileSettings(String registry, String tag, List<String> command, String artifactRepositoryConfigMap,
        String artifactRepositoryKey, int retries) {

    public static final String DEFAULT_REGISTRY = "ghcr.io/tether-dev";
    // A tag is 128 word characters, dots and dashes, not starting with either (OCI distribution spec).
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    public CompileSettings {
        Objects.requireNonNull(registry, "registry");
        if (registry.isBlank() || registry.endsWith("/")) {
            throw new IllegalArgumentException("registry: expected a host and path like ghcr.io/tether-dev, got '" + registry + "'");
        }
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("tag: expected an image tag like 0.1.0, got '" + tag + "'");
        }
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: expected the image's command, got none");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries: expected ≥ 0, got " + retries);
        }
    }

    public static CompileSettings defaults() {
        return new CompileSettings(DEFAULT_REGISTRY, TetherVersion.get(), ImageContract.COMMAND, "artifact-repositories", "tether", 2);
    }

    public CompileSettings withRegistry(String r) {
        return new CompileSettings(r, tag, command, artifactRepositoryConfigMap, artifactRepositoryKey, retries);
    }

    public CompileSettings withTag(String t) {
        return new CompileSettings(registry, t, command, artifactRepositoryConfigMap, artifactRepositoryKey, retries);
    }

    /** The image that runs {@code step}. */
    public String image(StepDefinition step) {
        return registry + "/tether-" + ImageContract.module(step) + ":" + tag;
    }
}
