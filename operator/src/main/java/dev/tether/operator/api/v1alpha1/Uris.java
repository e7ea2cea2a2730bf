package dev.tether.operator.api.v1alpha1;

/** What a model or data URI looks like: a scheme and a location, never credentials (no user-info part). */
public final class Uris {
    /** scheme://location with no "user:password@" before the host. */
    public static final String PATTERN = "^[a-z][a-z0-9+.-]*://[^@/\\s]+(/[^\\s]*)?$";

    private Uris() {
    }
}
