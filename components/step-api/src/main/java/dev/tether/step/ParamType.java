package dev.tether.step;

import java.util.Locale;

/** The types a step parameter can have, and how each engine spells them. */
public enum ParamType {
    STRING("STRING", "string"),
    INT("NUMBER_INTEGER", "integer"),
    DOUBLE("NUMBER_DOUBLE", "number"),
    BOOL("BOOLEAN", "boolean");

    private final String kfpType;
    private final String word;

    ParamType(String kfpType, String word) {
        this.kfpType = kfpType;
        this.word = word;
    }

    /** The KFP v2 IR parameterType. */
    public String kfpType() {
        return kfpType;
    }

    /**
     * Parses a value given as text (command line, Argo parameter, KFP placeholder), so a bad value is
     * caught where it enters, with the parameter's name.
     */
    public Object parse(String name, String text) {
        String t = text == null ? "" : text.trim();
        try {
            switch (this) {
                case STRING:
                    return text;
                case INT:
                    return Long.parseLong(t);
                case DOUBLE: {
                    double d = Double.parseDouble(t);
                    if (Double.isNaN(d)) {
                        throw new NumberFormatException();
                    }
                    return d;
                }
                case BOOL: {
                    String l = t.toLowerCase(Locale.ROOT);
                    if (l.equals("true") || l.equals("false")) {
                        return Boolean.parseBoolean(l);
                    }
                    throw new NumberFormatException();
                }
                default:
                    throw new IllegalStateException(name());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected " + (this == INT ? "an " : "a ") + word + ", got '" + text + "'");
        }
    }
}
