package dev.tether.step;

import java.util.List;

/**
 * A step parameter: a name in snake_case (it becomes a KFP and Argo parameter name and a
 * {@code --name} option), a type, a default (null: required) and the text users read in
 * {@code --help} and in the KFP UI.
 *
 * @param choices allowed values for a STRING parameter (empty: any)
 */
public record ParameterSpec(String name, ParamType type, String defaultValue, String description, List<String> choices) {

    public ParameterSpec {
        StepDefinition.requireName("parameter", name);
        if (type == null) {
            throw new IllegalArgumentException("parameter " + name + ": a type is required");
        }
        choices = List.copyOf(choices == null ? List.of() : choices);
        if (!choices.isEmpty() && type != ParamType.STRING) {
            throw new IllegalArgumentException("parameter " + name + ": choices only apply to STRING parameters");
        }
        if (defaultValue != null) {
            check(name, type, choices, defaultValue);
        }
    }

    public static ParameterSpec optional(String name, ParamType type, String defaultValue, String description) {
        return new ParameterSpec(name, type, defaultValue, description, List.of());
    }

    public static ParameterSpec required(String name, ParamType type, String description) {
        return new ParameterSpec(name, type, null, description, List.of());
    }

    public static ParameterSpec choice(String name, String defaultValue, String description, String... choices) {
        return new ParameterSpec(name, ParamType.STRING, defaultValue, description, List.of(choices));
    }

    public boolean isRequired() {
        return defaultValue == null;
    }

    /** The typed value of {@code text}; the error names the parameter and what was expected. */
    public Object parse(String text) {
        return check(name, type, choices, text);
    }

    private static Object check(String name, ParamType type, List<String> choices, String text) {
        Object v = type.parse(name, text);
        if (!choices.isEmpty() && !choices.contains(text)) {
            throw new IllegalArgumentException(name + ": expected one of " + String.join(", ", choices) + ", got '" + text + "'");
        }
        return v;
    }
}
