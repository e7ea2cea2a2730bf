package dev.tether.step;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long work on stderr: a bar redrawn in place on a terminal, a line every tenth of the
 * way in a log (container logs in the Argo and KFP UIs are not terminals).
 */
public final class Progress {
    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long done;
    private int lastDecile = -1;

    public Progress(String label, long total, PrintStream out, boolean terminal) {
        this.label = label;
        this.total = Math.max(total, 1);
        this.out = out;
        this.terminal = terminal;
    }

    public void step() {
        advance(1, "");
    }

    /** Advances by {@code n}, showing {@code note} (e.g. "kl 3.1 nats") beside the bar. */
    public void advance(long n, String note) {
        done = Math.min(total, done + n);
        int decile = (int) (done * 10 / total);
        if (terminal) {
            int width = 30;
            int filled = (int) (done * width / total);
            out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %s %s", label, "#".repeat(filled), ".".repeat(width - filled), done, total,
                    elapsed(), note);
            if (done == total) {
                out.println();
            }
        } else if (decile != lastDecile) {
            out.printf(Locale.ROOT, "%s %d/%d %s %s%n", label, done, total, elapsed(), note);
        }
        lastDecile = decile;
        out.flush();
    }

    private String elapsed() {
        return String.format(Locale.ROOT, "%.1fs", (System.nanoTime() - startNanos) / 1e9);
    }
}
