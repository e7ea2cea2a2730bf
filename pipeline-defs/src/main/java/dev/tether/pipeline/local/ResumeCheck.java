package dev.tether.pipeline.local;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.CanonicalJson;
import dev.tether.core.artifact.Manifest;
import dev.tether.pipeline.Task;
import dev.tether.step.ArtifactPort;
import dev.tether.step.OutputParameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a task's results from an earlier attempt can stand: its record exists, every
 * output artifact exists and verifies, and both record exactly the input digests and parameters the
 * task would get now. Input digests are of content, so a changed parameter upstream reruns
 * everything whose inputs actually changed, and an upstream task that reran to the same bytes
 * leaves its dependents cached.
 */
final class ResumeCheck {

    /** @param reason why the task must run, or null when it is cached */
    record Decision(TaskRecord cached, String reason) {
        static Decision run(String reason) {
            return new Decision(null, reason);
        }

        boolean isCached() {
            return cached != null;
        }
    }

    private ResumeCheck() {}

    static Decision check(TaskWiring w, RunLayout layout, DigestCache digests) {
        Task task = w.task();
        TaskRecord record = TaskRecord.read(w.record()).orElse(null);
        if (record == null) {
            return Decision.run(null);
        }
        Map<String, String> inputs;
        try {
            inputs = digests.inputDigests(task.step(), w.inputs());
        } catch (ArtifactException ex) {
            // The step will say precisely what is wrong with it.
            return Decision.run("an input cannot be read");
        }
        String differs = differs(record.step().equals(task.step().name()) ? null : "step", record.inputs(), record.parameters(), inputs,
                w.typedParameters());
        if (differs != null) {
            return Decision.run(differs + " changed");
        }
        for (OutputParameter p : task.step().outputParameters()) {
            if (!record.outputParameters().containsKey(p.name())) {
                return Decision.run("output parameter " + p.name() + " not recorded");
            }
        }
        for (var e : w.outputs().entrySet()) {
            String problem = outputProblem(task, e.getKey(), e.getValue(), inputs, w.typedParameters(), digests);
            if (problem != null) {
                return Decision.run(problem);
            }
        }
        return new Decision(record, null);
    }

    private static String outputProblem(Task task, String output, Path dir, Map<String, String> inputs, Map<String, Object> parameters,
            DigestCache digests) {
        if (!Files.isDirectory(dir)) {
            return "output " + output + " missing";
        }
        ArtifactPort port = task.step().output(output).orElseThrow();
        try {
            Manifest m = digests.open(dir, port).manifest(); // every file verified against it
            String differs = differs(null, m.inputs(), m.parameters(), inputs, parameters);
            return differs == null ? null : "output " + output + " does not match its record (" + differs + ")";
        } catch (ArtifactException e) {
            return "output " + output + " is damaged";
        }
    }

    /** Which of the step, an input or a parameter differs between what was recorded and what is wired now, or null. */
    private static String differs(String step, Map<String, String> recordedInputs, Map<String, Object> recordedParameters,
            Map<String, String> inputs, Map<String, Object> parameters) {
        if (step != null) {
            return step;
        }
        if (!recordedInputs.equals(inputs)) {
            return "input " + firstDifference(recordedInputs, inputs);
        }
        // Compared as canonical JSON: a number read back from JSON may be an Integer where the
        // step's typed value is a Long.
        if (!CanonicalJson.compact(recordedParameters).equals(CanonicalJson.compact(parameters))) {
            return "parameter " + firstDifference(json(recordedParameters), json(parameters));
        }
        return null;
    }

    private static Map<String, String> json(Map<String, Object> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, CanonicalJson.compact(v)));
        return out;
    }

    private static String firstDifference(Map<String, String> recorded, Map<String, String> now) {
        return now.keySet().stream().filter(k -> !Objects.equals(recorded.get(k), now.get(k))).sorted().findFirst()
                .orElseGet(() -> recorded.keySet().stream().filter(k -> !now.containsKey(k)).sorted().findFirst().orElse("?"));
    }
}
