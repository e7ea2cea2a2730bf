package dev.tether.step;

/**
 * A value a step reports when it succeeds ({@code kl}, {@code reward}, {@code beta}, …): an Argo
 * output parameter read from a file, a KFP output parameter, and what the operator reads back.
 *
 * @param optional the step may finish without it (a gold reward exists only with a gold scorer);
 *     renderers give it an empty default, and readers must treat an empty value as absent
 */
public record OutputParameter(String name, ParamType type, String description, boolean optional) {
    public OutputParameter {
        StepDefinition.requireName("output parameter", name);
    }

    public OutputParameter(String name, ParamType type, String description) {
        this(name, type, description, false);
    }
}
