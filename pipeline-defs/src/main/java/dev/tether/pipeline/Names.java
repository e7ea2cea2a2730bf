package dev.tether.pipeline;

import java.util.regex.Pattern;

/** The one naming rule for pipelines and tasks: they become Argo and KFP task and template names. */
final class Names {
    static final int MAX = 63;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private Names() {}

    /** Null when {@code name} is a DNS-1123 label, else what is wrong with it. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "expected a name, got none";
        }
        if (name.length() > MAX) {
            return "expected at most " + MAX + " characters (a DNS-1123 label), got " + name.length() + " in '" + name + "'";
        }
        if (!DNS_LABEL.matcher(name).matches()) {
            return "expected lowercase letters, digits and '-', starting and ending with a letter or digit (a DNS-1123 label), got '"
                    + name + "'";
        }
        return null;
    }
}
