package dev.tether.steps.evaluate.report;

import java.util.Locale;

/**
 * How every number is written in the HTML and Markdown reports: one rule, so the report says
 * exactly what evaluation.json holds (to its printed precision), and a test can check one against
 * the other. Whole numbers plainly, others with four decimals, very small or very large ones in
 * scientific notation (a KL of 3e-7 is not "0.0000").
 */
public final class Numbers {
    private Numbers() {}

    public static String format(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e9) {
            return Long.toString((long) v);
        }
        if (a >= 1e-3 && a < 1e5) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    /** A change, with its sign: "+0.1234", "−2" (a real minus, for reading; the tables keep ASCII). */
    public static String signed(double v) {
        String s = format(Math.abs(v));
        return (v < 0 ? "−" : "+") + s;
    }
}
