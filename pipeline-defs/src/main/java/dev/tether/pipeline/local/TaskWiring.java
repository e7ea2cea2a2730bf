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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a task's step, its sources resolved for this run: input directories, parameter values
 * as text (what the step gets) and typed (what its outputs' manifests record, for the resume
 * check), output directories and where its record goes. A fanned-out task has one per shard.
 *
 * @param parameters wired parameters as text; unwired ones take the step's default
 * @param typedParameters every parameter of the step, typed, defaults included
 * @param shard which shard of a fanned-out task this is, or null
 * @param record the {@link TaskRecord} file
 */
record TaskWiring(Task task, Map<String, Path> inputs, Map<String, String> parameters, Map<String, Object> typedParameters,
        Map<String, Path> outputs, Long shard, Path record) {

    /**
     * @param reported output parameters of the tasks that finished in this run, by task
     * @throws TaskFailure exit 2 when a value does not fit the step's parameter (a {@code --set}
     *     value outside a step's choices, an upstream value of the wrong form)
     */
    /** @param shard which shard of a fanned-out task, or null for a task that runs once */
    static TaskWiring of(Task task, Long shard, RunLayout layout, RunArguments args, Map<String, Map<String, Object>> reported)
            throws TaskFailure {
        Map<String, Path> inputs = new LinkedHashMap<>();
        task.inputs().forEach((port, source) -> {
            if (source instanceof ArtifactSource.TaskOutput o) {
                inputs.put(port, layout.output(o.task(), o.output()));
            } else if (source instanceof ArtifactSource.Shards o) {
                inputs.put(port, layout.output(o.task(), o.output()));
            } else if (source instanceof ArtifactSource.SameShard o) {
                // Shards run in dependency order, each task over all its shards: shard k of the
                // upstream is done before shard 0 of this one starts.
                inputs.put(port, layout.shardOutput(o.task(), o.output(), shard));
            } else if (source instanceof ArtifactSource.PipelineInput p && args.inputs().containsKey(p.name())) {
                inputs.put(port, args.inputs().get(p.name()));
            }
        });

        Map<String, String> texts = new LinkedHashMap<>();
        task.parameters().forEach((name, source) -> texts.put(name, source instanceof ParameterSource.ShardIndex
                ? Long.toString(shard) : text(task, name, source, args, reported)));
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
            outputs.put(port.name(), shard == null ? layout.output(task.name(), port.name()) : layout.shardOutput(task.name(), port.name(), shard));
        }
        return new TaskWiring(task, Collections.unmodifiableMap(inputs), Collections.unmodifiableMap(texts),
                Collections.unmodifiableMap(typed), Collections.unmodifiableMap(outputs), shard,
                shard == null ? layout.record(task.name()) : layout.shardRecord(task.name(), shard));
    }

    /**
     * How many shards fanned-out {@code task} runs as in this run.
     *
     * @throws TaskFailure exit 2 when the count is not a whole number ≥ 1
     */
    static long shardCount(Task task, RunArguments args) throws TaskFailure {
        String text = task.shards() instanceof ParameterSource.PipelineParameter p ? args.parameters().get(p.name())
                : ((ParameterSource.Constant) task.shards()).text();
        long count;
        try {
            count = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            count = 0;
        }
        if (count < 1) {
            throw new TaskFailure(ExitCode.BAD_INPUT, "task " + task.name() + ": expected ≥ 1 shard (" + task.shards() + "), got '" + text + "'", null);
        }
        return count;
    }

    /** What this run's outputs and record occupy, removed before it runs so nothing half-made survives. */
    List<Path> owned() {
        List<Path> paths = new ArrayList<>(outputs.values());
        paths.add(record);
        return paths;
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
