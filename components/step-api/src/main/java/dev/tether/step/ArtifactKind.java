package dev.tether.step;

/** What an artifact is, in the KFP type system (schemaTitle); Argo does not type artifacts. */
public enum ArtifactKind {
    DATASET("system.Dataset"),
    MODEL("system.Model"),
    ARTIFACT("system.Artifact"),
    METRICS("system.Metrics"),
    HTML("system.HTML"),
    MARKDOWN("system.Markdown");

    private final String schemaTitle;

    ArtifactKind(String schemaTitle) {
        this.schemaTitle = schemaTitle;
    }

    public String schemaTitle() {
        return schemaTitle;
    }
}
