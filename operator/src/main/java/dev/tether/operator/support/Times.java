package dev.tether.operator.support;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Times in status are RFC 3339 strings, to the second, as Kubernetes writes its own. */
public final class Times {
    private Times() {
    }

    public static String format(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Null for null or a string that is not a time (status fields are ours, but a user may edit them). */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
