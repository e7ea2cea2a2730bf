package dev.tether.pipeline.local;

import dev.tether.core.outputs.ParameterText;
import dev.tether.pipeline.ArtifactSource;
import dev.tether.pipeline.ParameterSource;
import dev.tether.pipeline.Task;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ExitCode;
import dev.tether.step.ParameterSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task's sources resolved for this run: input directories, parameter values as text (what the
 * step gets) and typed (what its outputs' manifests record, for the resume check), and output
 * directories.
 *
 * @param parameters wired parameters as text; unwired ones take the step's default
 * @param typedParameters every parameter of the step, typed, defaults included
 */
record TaskWiring(Task task, Map<String, Path> inputs, Map<String, String> parameters, Map<String, Object> typedParameters,
        Map<String, Path> outputs) {

    /**
     * @param reported output parameters of the tasks that finished in this run, by task
     * @throws TaskFailure exit 2 when a value does not fit the step's parameter (a {@code --set}
     *     value outside a step's choices, an upstream value of the wrong form)
     */
    static TaskWiring of(Task task, RunLayout layout, RunArguments args, Map<String, Map<String, Object>> reported) throws TaskFailure {
        Map<String, Path> inputs = new LinkedHashMap<>();
        task.inputs().forEach((port, source) -> {
            if (source instanceof ArtifactSource.TaskOutput o) {
                inputs.put(port, layout.output(o.task(), o.output()));
            } else if (source instanceof ArtifactSource.PipelineInput p && args.inputs().containsKey(p.name())) {
                inputs.put(port, args.inputs().get(p.name()));
            }
        });

        Map<String, String> texts = new LinkedHashMap<>();
        task.parameters().forEach((name, source) -> texts.put(name, text(task, name, source, args, reported)));
        Map<String, Object> typed = new LinkedHashMap<>();
        for (ParameterSpec spec : task.step().parameters()) {
            String text = texts.getOrDefault(spec.name(), spec.defaultValue());
            try {
                typed.put(spec.name(), spec.parse(text));
            } catch (IllegalArgumentException e) {
                throw new TaskFailure(ExitCode.BAD_INPUT, "parameter " + e.getMessage() + " (from " + task.parameters().get(spec.name()) + ")", e);
            }
        }

        Map<String, Path> outputs = new LinkedHashMap<>();
        for (ArtifactPort port : task.step().outputs()) {
            outputs.put(port.name(), layout.output(task.name(), port.name()));
        }
        return new TaskWiring(task, Collections.unmodifiableMap(inputs), Collections.unmodifiableMap(texts),
                Collections.unmodifiableMap(typed), Collections.unmodifiableMap(outputs));
    }

    TaskCall call(PrintStream log, boolean terminal) {
        return new TaskCall(task, inputs, outputs, parameters, log, terminal);
    }

    private static String text(Task task, String name, ParameterSource source, RunArguments args, Map<String, Map<String, Object>> reported) {
        if (source instanceof ParameterSource.Constant c) {
            return c.text();
        }
        if (source instanceof ParameterSource.PipelineParameter p) {
            return args.parameters().get(p.name());
        }
        ParameterSource.TaskOutput o = (ParameterSource.TaskOutput) source;
        Map<String, Object> values = reported.get(o.task());
        if (values == null || !values.containsKey(o.parameter())) {
            // Tasks run in dependency order and a finished task reported every declared value.
            throw new IllegalStateException("task " + task.name() + ": parameter '" + name + "': " + o + " has no value yet");
        }
        return ParameterText.format(o.parameter(), values.get(o.parameter()));
    }
}
