package dev.tether.operator.support;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers in messages: four significant digits, no trailing zeros (KL 14.2, not 14.20). */
public final class Numbers {
    private static final MathContext FOUR = new MathContext(4);

    private Numbers() {
    }

    public static String format(double x) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        return new BigDecimal(x).round(FOUR).stripTrailingZeros().toPlainString();
    }

    public static String format(Double x) {
        return x == null ? "none" : format(x.doubleValue());
    }
}
