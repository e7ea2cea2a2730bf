package dev.tether.step;

/**
 * A pipeline step: its declared signature and its implementation in plain Java. Implementations
 * read inputs, parameters and the seed from the context, write each declared output through
 * {@link StepContext#writer} (atomic, with a manifest), and report output parameters and metrics;
 * the caller — container entrypoint or local runner — takes care of everything else.
 */
public interface Step {

    StepDefinition definition();

    /**
     * Does the work. Throw {@link IllegalArgumentException} (or {@code ArtifactException}) for bad
     * input — exit code 2 — and {@link StepGuardException} when a guard stopped the step on purpose
     * (KL past its budget, a non-finite loss) — exit code 3. Anything else is a failure, exit 1.
     */
    void run(StepContext context) throws Exception;
}
