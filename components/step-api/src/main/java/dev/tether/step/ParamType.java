package dev.tether.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;

/** The types a step parameter can have, and how each engine spells them. */
public enum ParamType {
    STRING("STRING", "string"),
    INT("NUMBER_INTEGER", "integer"),
    DOUBLE("NUMBER_DOUBLE", "number"),
    BOOL("BOOLEAN", "boolean"),
    /** A JSON array, e.g. {@code [0, 1, 2]}; parsed to a {@code List} of its values (integers as Long). */
    LIST("LIST", "list");

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
                case LIST:
                    return parseList(name, text);
                default:
                    throw new IllegalStateException(name());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected " + (this == INT ? "an " : "a ") + word + ", got '" + text + "'");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private static List<Object> parseList(String name, String text) {
        try {
            JsonNode node = JSON.readTree(text == null ? "" : text);
            if (node != null && node.isArray()) {
                @SuppressWarnings("unchecked")
                List<Object> list = JSON.treeToValue(node, List.class);
                return List.copyOf(list);
            }
        } catch (JsonProcessingException | NullPointerException e) {
            // fall through: one message for every bad value
        }
        throw new IllegalArgumentException(name + ": expected a list (a JSON array such as [0, 1, 2]), got '" + text + "'");
    }
}
