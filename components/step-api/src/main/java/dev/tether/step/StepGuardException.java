package dev.tether.step;

/**
 * A step stopped on purpose because a guard fired (KL over budget, a non-finite loss or reward)
 * before it wrote its outputs. The message carries the numbers; the exit code is 3, so a workflow
 * engine can tell "refused" from "crashed".
 */
public class StepGuardException extends RuntimeException {
    public StepGuardException(String message) {
        super(message);
    }
}
