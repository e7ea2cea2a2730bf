package dev.tether.pipeline.compile;

import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.Task;
import dev.tether.step.ArtifactPort;
import dev.tether.step.OutputParameter;
import dev.tether.step.StepDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The containers a pipeline needs: one per step and set of wired input artifacts. Neither engine
 * can leave an option out of a command line at run time when an optional input is not given (KFP
 * has IfPresent placeholders, Argo has nothing alike), so a step whose tasks wire different
 * optional inputs (reference with an ONNX model here, with a checkpoint there) gets one component
 * per combination, each declaring exactly the inputs it passes. Usually a step has one.
 */
final class Components {
    /** The outputs the operator reads from a finished run (DESIGN.md, 7). */
    static final List<String> RUN_OUTPUTS = List.of("kl", "reward", "beta");

    /**
     * A component: its name (the step's, suffixed -2, -3 … for further variants), the step, the
     * input artifacts it declares, in the step's order, and whether its tasks are fanned out (in
     * Argo, a shard's outputs go to keys a merge can list).
     */
    record Component(String name, StepDefinition step, List<ArtifactPort> inputs, boolean sharded) {}

    private static final String SHARDED = "-sharded-";

    private final List<Component> all;
    private final Map<String, Component> byTask;

    private Components(List<Component> all, Map<String, Component> byTask) {
        this.all = all;
        this.byTask = byTask;
    }

    static Components of(Pipeline pipeline) {
        for (ArtifactPort in : pipeline.inputs()) {
            if (in.optional()) {
                // An importer needs a URI and an Argo artifact a key: neither engine can leave the input out at run time.
                throw new IllegalArgumentException("pipeline " + pipeline.name() + ": input " + in.name() + " is optional, which KFP and Argo "
                        + "runs cannot express (every input artifact is imported from a URI or key); make it required, or define a pipeline "
                        + "without it");
            }
        }
        Map<String, StepDefinition> steps = new LinkedHashMap<>();
        Map<String, Map<Set<String>, Component>> variants = new LinkedHashMap<>();
        Map<String, Component> byTask = new LinkedHashMap<>();
        List<Component> all = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Task t : pipeline.tasks()) {
            StepDefinition before = steps.putIfAbsent(t.step().name(), t.step());
            if (before != null && !before.equals(t.step())) {
                throw new IllegalArgumentException("pipeline " + pipeline.name() + ": task " + t.name() + " runs a step named '"
                        + t.step().name() + "' that differs from the one other tasks run; a step name names one image and one signature");
            }
            Set<String> wired = new TreeSet<>(t.inputs().keySet());
            if (t.fannedOut()) {
                wired.add(SHARDED); // not a port name: those are snake_case
            }
            Map<Set<String>, Component> forStep = variants.computeIfAbsent(t.step().name(), k -> new LinkedHashMap<>());
            Component c = forStep.get(wired);
            if (c == null) {
                String name = forStep.isEmpty() ? t.step().name() : t.step().name() + "-" + (forStep.size() + 1);
                if (!names.add(name)) {
                    throw new IllegalArgumentException("pipeline " + pipeline.name() + ": component name '" + name
                            + "' is taken by two steps; rename one of them");
                }
                List<ArtifactPort> inputs = t.step().inputs().stream().filter(p -> wired.contains(p.name())).toList();
                c = new Component(name, t.step(), inputs, t.fannedOut());
                forStep.put(wired, c);
                all.add(c);
            }
            byTask.put(t.name(), c);
        }
        return new Components(List.copyOf(all), byTask);
    }

    /** Every component, in the order their first task appears. */
    List<Component> all() {
        return all;
    }

    Component of(Task task) {
        return byTask.get(task.name());
    }

    /**
     * The task whose {@link #RUN_OUTPUTS} are the run's: the last, in dependency order, whose step
     * always reports all of them (the final PPO update); none if no step does.
     */
    static Optional<Task> runOutputsTask(Pipeline pipeline) {
        Task found = null;
        for (Task t : pipeline.tasks()) {
            if (t.fannedOut()) {
                continue; // one value per shard: none is the run's
            }
            Set<String> declared = new HashSet<>();
            t.step().outputParameters().stream().filter(o -> !o.optional()).forEach(o -> declared.add(o.name()));
            if (declared.containsAll(RUN_OUTPUTS)) {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    /** An artifact's description for readers of the specs, with tether's schema of it. */
    static String describe(ArtifactPort p) {
        String text = p.description() == null ? "" : p.description().trim();
        return (text.isEmpty() ? "" : text + (text.endsWith(".") ? " " : ". ")) + "Schema " + p.schema() + " v" + p.schemaVersion() + ".";
    }

    static OutputParameter outputParameter(StepDefinition step, String name) {
        return step.outputParameters().stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("step " + step.name() + " has no output parameter " + name));
    }
}
