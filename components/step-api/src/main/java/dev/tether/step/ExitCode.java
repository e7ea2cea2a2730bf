package dev.tether.step;

import dev.tether.core.artifact.ArtifactException;

/** Exit codes a workflow engine can act on (retry a crash, not a refusal). */
public final class ExitCode {
    public static final int OK = 0;
    /** An unexpected failure: worth a retry. */
    public static final int FAILED = 1;
    /** Bad input or usage: a retry will fail the same way. */
    public static final int BAD_INPUT = 2;
    /** A guard stopped the step (KL budget, non-finite numbers). */
    public static final int GUARD = 3;

    private ExitCode() {}

    public static int of(Throwable e) {
        if (e instanceof StepGuardException) {
            return GUARD;
        }
        if (e instanceof IllegalArgumentException || e instanceof ArtifactException) {
            return BAD_INPUT;
        }
        return FAILED;
    }
}
