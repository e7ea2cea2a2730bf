package dev.tether.step;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The steps on the classpath, by name. Each step module registers its {@link Step}s in
 * {@code META-INF/services/dev.tether.step.Step}, so {@code tether step <name>} and the local
 * runner find a step without a hand-kept list that could fall behind the modules.
 */
public final class StepCatalog {
    private final TreeMap<String, Step> steps;

    private StepCatalog(TreeMap<String, Step> steps) {
        this.steps = steps;
    }

    /** The steps registered with {@link ServiceLoader} in the thread's context class loader. */
    public static StepCatalog load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(loader != null ? loader : StepCatalog.class.getClassLoader());
    }

    public static StepCatalog load(ClassLoader loader) {
        try {
            return of(ServiceLoader.load(Step.class, loader).stream().map(ServiceLoader.Provider::get).toList());
        } catch (ServiceConfigurationError e) {
            // A broken registration (class missing, no public no-argument constructor) names itself here.
            throw new IllegalStateException("cannot load the registered steps (META-INF/services/" + Step.class.getName() + "): "
                    + e.getMessage(), e);
        }
    }

    /** A catalog of the given steps (tests, or a launcher that builds its own list). */
    public static StepCatalog of(Collection<? extends Step> steps) {
        TreeMap<String, Step> byName = new TreeMap<>();
        for (Step step : steps) {
            String name = step.definition().name();
            Step before = byName.putIfAbsent(name, step);
            if (before != null) {
                throw new IllegalStateException("two steps are named '" + name + "': " + before.getClass().getName() + " and "
                        + step.getClass().getName() + "; step names must be unique (they name commands, images and components)");
            }
        }
        return new StepCatalog(byName);
    }

    public static StepCatalog of(Step... steps) {
        return of(List.of(steps));
    }

    public Optional<Step> find(String name) {
        return Optional.ofNullable(steps.get(name));
    }

    /** The step called {@code name}; the error lists the steps there are. */
    public Step get(String name) {
        Step step = steps.get(name);
        if (step == null) {
            throw new IllegalArgumentException("unknown step '" + name + "'; " + known());
        }
        return step;
    }

    /** Step names in alphabetical order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(steps.keySet());
    }

    /** Definitions in name order. */
    public List<StepDefinition> definitions() {
        return steps.values().stream().map(Step::definition).toList();
    }

    private String known() {
        return steps.isEmpty()
                ? "no steps are registered (a step module lists its steps in META-INF/services/" + Step.class.getName() + ")"
                : "known steps: " + String.join(", ", steps.keySet());
    }
}
