package dev.tether.pipeline.compile;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities ("2", "500m", "4Gi", "1.5G") as numbers, for KFP's numeric resource fields. */
final class Quantity {
    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?");
    private static final Map<String, BigDecimal> SUFFIX = Map.ofEntries(
            Map.entry("m", new BigDecimal("0.001")),
            Map.entry("k", BigDecimal.TEN.pow(3)), Map.entry("M", BigDecimal.TEN.pow(6)), Map.entry("G", BigDecimal.TEN.pow(9)),
            Map.entry("T", BigDecimal.TEN.pow(12)), Map.entry("P", BigDecimal.TEN.pow(15)), Map.entry("E", BigDecimal.TEN.pow(18)),
            Map.entry("Ki", BigDecimal.valueOf(2).pow(10)), Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
            Map.entry("Gi", BigDecimal.valueOf(2).pow(30)), Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
            Map.entry("Pi", BigDecimal.valueOf(2).pow(50)), Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));

    private Quantity() {}

    /** The quantity's value in base units (cores, bytes); the error names {@code what}. */
    static BigDecimal parse(String what, String text) {
        Matcher m = text == null ? null : QUANTITY.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(what + ": expected a Kubernetes quantity like 2, 500m or 4Gi, got '" + text + "'");
        }
        BigDecimal v = new BigDecimal(m.group(1));
        return m.group(2) == null ? v : v.multiply(SUFFIX.get(m.group(2)));
    }
}
