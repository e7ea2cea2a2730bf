package dev.tether.steps.ppo;

import dev.tether.core.kl.KlUnit;
import dev.tether.step.StepGuardException;
import java.util.Locale;

/**
 * The KL budget the anchors lack: an update whose batch KL passes a hard limit, or jumps past
 * {@code jumpRatio} times the median of recent iterations, stops before it writes a checkpoint.
 * Both checks read KL in one unit, named in the message.
 *
 * @param budget hard limit, ≤ 0 for none
 * @param jumpRatio limit relative to the recent median, ≤ 0 for none; needs {@code minHistory}
 *     iterations of history before it applies, so the first steps from KL ≈ 0 are not "jumps"
 */
record KlGuard(double budget, double jumpRatio, int minHistory, KlUnit unit) {

    void check(double kl, KlHistory history) {
        if (!Double.isFinite(kl)) {
            throw new StepGuardException(String.format(Locale.ROOT, "%s is %s: refusing to update on a non-finite KL", unit.id(), kl));
        }
        if (budget > 0 && kl > budget) {
            throw new StepGuardException(String.format(Locale.ROOT,
                    "%s %.4g nats passed the KL budget of %.4g: no checkpoint written (raise kl_budget or β)", unit.id(), kl, budget));
        }
        double median = history.median();
        if (jumpRatio > 0 && history.recentKl().size() >= minHistory && median > 0 && kl > jumpRatio * median) {
            throw new StepGuardException(String.format(Locale.ROOT,
                    "%s %.4g nats jumped past %.3g × the median %.4g of the last %d iterations: no checkpoint written",
                    unit.id(), kl, jumpRatio, median, history.recentKl().size()));
        }
    }
}
