package dev.tether.pipeline.local;

/**
 * A task that did not succeed, with the exit code its step gave ({@code ExitCode}: 1 failed,
 * 2 bad input, 3 stopped by a guard) and its one-line message.
 */
public class TaskFailure extends Exception {
    private final int exitCode;

    public TaskFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public TaskFailure(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public int exitCode() {
        return exitCode;
    }
}
