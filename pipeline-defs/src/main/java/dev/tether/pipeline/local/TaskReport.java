package dev.tether.pipeline.local;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one task went in a run.
 *
 * @param seconds time spent running the step in this run (0 when cached or not run)
 * @param outputParameters what the task reported (also when cached), in the step's declared order
 * @param exitCode the step's exit code when it failed, else 0
 * @param message why it failed, one line, or null
 */
public record TaskReport(String task, Status status, double seconds, Map<String, Object> outputParameters, int exitCode, String message) {

    public enum Status {
        /** Ran and succeeded. */
        DONE,
        /** Results of an earlier attempt still hold; not run. */
        CACHED,
        FAILED,
        /** An earlier task failed, so this one was not reached. */
        NOT_RUN,
        /** Not asked for: outside the tasks a run was limited to ({@code --until}). */
        SKIPPED
    }

    public TaskReport {
        outputParameters = Collections.unmodifiableMap(new LinkedHashMap<>(outputParameters));
    }
}
