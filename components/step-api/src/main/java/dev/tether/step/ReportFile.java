package dev.tether.step;

import java.util.regex.Pattern;

/**
 * A report a step writes inside one of its output artifacts (e.g. {@code report.html} in
 * {@code evaluation}) that engines with a report viewer also get as an artifact of its own: in
 * Kubeflow Pipelines a {@code system.HTML} or {@code system.Markdown} output the UI renders. Argo's
 * UI lists the output artifact's files itself, so there the report stays where it is.
 *
 * @param name snake_case; the KFP output artifact's name
 * @param outputPort the output artifact the step writes the file into
 * @param file a file name in that artifact's top directory, e.g. {@code report.html}
 */
public record ReportFile(String name, Kind kind, String outputPort, String file) {

    /** The report formats the KFP UI renders, and their artifact types. */
    public enum Kind {
        HTML(ArtifactKind.HTML),
        MARKDOWN(ArtifactKind.MARKDOWN);

        private final ArtifactKind artifactKind;

        Kind(ArtifactKind artifactKind) {
            this.artifactKind = artifactKind;
        }

        public ArtifactKind artifactKind() {
            return artifactKind;
        }
    }

    // One path segment: a report is read from the artifact's top directory, never from elsewhere.
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public ReportFile {
        StepDefinition.requireName("report", name);
        if (kind == null) {
            throw new IllegalArgumentException("report " + name + ": a kind (HTML or MARKDOWN) is required");
        }
        if (outputPort == null || outputPort.isBlank()) {
            throw new IllegalArgumentException("report " + name + ": the output artifact it is written into is required");
        }
        if (file == null || !FILE_NAME.matcher(file).matches()) {
            throw new IllegalArgumentException("report " + name + ": file: expected a plain file name like report.html, got '" + file + "'");
        }
    }
}
