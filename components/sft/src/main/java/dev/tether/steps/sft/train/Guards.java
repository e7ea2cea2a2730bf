package dev.tether.steps.sft.train;

import dev.tether.step.StepGuardException;
import java.util.Locale;

/** Training stops on a non-finite number before anything is written (DESIGN.md, 10). */
public final class Guards {
    private Guards() {}

    public static void requireFinite(String what, double value, int step) {
        if (!Double.isFinite(value)) {
            throw new StepGuardException(String.format(Locale.ROOT, "%s is %s at step %d: training stopped, nothing written", what, value, step));
        }
    }
}
