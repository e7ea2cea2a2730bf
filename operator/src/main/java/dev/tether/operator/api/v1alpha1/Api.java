package dev.tether.operator.api.v1alpha1;

/** Names shared by the API types, the reconcilers and the deploy manifests. */
public final class Api {
    public static final String GROUP = "tether.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /** On a run a schedule created: the schedule's name (runs are listed and owned by it). */
    public static final String LABEL_SCHEDULE = GROUP + "/schedule";
    /** On a Workflow: the run it belongs to. */
    public static final String LABEL_RUN = GROUP + "/run";
    /** On a run a schedule created: the cron tick (RFC 3339) it was created for. */
    public static final String ANNOTATION_SCHEDULED_TIME = GROUP + "/scheduled-time";

    private Api() {
    }
}
