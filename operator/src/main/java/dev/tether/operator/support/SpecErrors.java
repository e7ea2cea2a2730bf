package dev.tether.operator.support;

import java.util.ArrayList;
import java.util.List;

/** What is wrong with a spec, one "field: expected …, got …" a line; the Accepted condition's message. */
public final class SpecErrors {
    private final List<String> errors = new ArrayList<>();

    public void add(String field, String problem) {
        errors.add(field + ": " + problem);
    }

    public void addAll(SpecErrors other) {
        errors.addAll(other.errors);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<String> all() {
        return List.copyOf(errors);
    }

    public String message() {
        return String.join("; ", errors);
    }
}
