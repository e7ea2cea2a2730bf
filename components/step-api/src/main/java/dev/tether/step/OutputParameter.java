package dev.tether.step;

/**
 * A value a step reports when it succeeds ({@code kl}, {@code reward}, {@code beta}, …): an Argo
 * output parameter read from a file, a KFP output parameter, and what the operator reads back.
 */
public record OutputParameter(String name, ParamType type, String description) {
    public OutputParameter {
        StepDefinition.requireName("output parameter", name);
    }
}
