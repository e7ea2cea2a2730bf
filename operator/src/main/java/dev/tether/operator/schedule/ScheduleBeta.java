package dev.tether.operator.schedule;

import dev.tether.core.beta.AcrossRunBeta;
import dev.tether.core.beta.AdaptiveKlController;
import dev.tether.operator.api.v1alpha1.HistoryEntry;
import dev.tether.operator.api.v1alpha1.RunPhase;
import dev.tether.operator.support.Numbers;
import java.util.List;

/**
 * The β a schedule's next run starts with. It is derived, never accumulated: the newest run with an
 * outcome (promoted or gated) gives β_final and KL, and {@link AcrossRunBeta#next} does the rest. So
 * recomputing it after a restart, or twice, gives the same β. Failed runs (no KL) do not move β.
 */
public final class ScheduleBeta {

    /**
     * @param source the run β was carried from; null for initialBeta
     * @param reason why β is what it is, for the status and the BetaChanged event
     */
    public record Carried(double beta, String source, String reason) {
    }

    private ScheduleBeta() {
    }

    /**
     * @param history newest first
     * @param previous what the status holds, if it was carried from a run: kept when no run with an outcome
     *     remains in the history (they were all pushed out by failed runs); null otherwise
     */
    public static Carried current(AcrossRunBeta policy, List<HistoryEntry> history, Carried previous) {
        if (policy.mode() == AcrossRunBeta.Mode.FIXED) {
            return new Carried(policy.firstBeta(), null, "fixed: every run starts from initialBeta");
        }
        for (HistoryEntry e : history) {
            if (e.phase != RunPhase.Succeeded && e.phase != RunPhase.Gated) {
                continue;
            }
            double betaFinal = e.finalBeta != null ? e.finalBeta : e.beta;
            boolean gated = !Boolean.TRUE.equals(e.promoted);
            double next = policy.next(betaFinal, gated ? Double.NaN : e.kl, gated);
            String why;
            if (gated) {
                why = "carried from run " + e.name + ", not promoted (" + e.reason + "): e = +"
                        + Numbers.format(AdaptiveKlController.ERROR_CLIP) + ", β_final " + Numbers.format(betaFinal)
                        + " → " + Numbers.format(next);
            } else {
                double err = AdaptiveKlController.proportionalError(e.kl, policy.target().value());
                why = "carried from run " + e.name + ": KL " + Numbers.format(e.kl) + " vs target " + policy.target()
                        + ", e = " + (err >= 0 ? "+" : "") + Numbers.format(err) + ", β_final " + Numbers.format(betaFinal)
                        + " → " + Numbers.format(next);
            }
            return new Carried(next, e.name, why);
        }
        if (previous != null) {
            return previous;
        }
        return new Carried(policy.firstBeta(), null, "initialBeta: no run has finished with a KL yet");
    }
}
