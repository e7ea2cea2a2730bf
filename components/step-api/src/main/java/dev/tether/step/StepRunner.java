package dev.tether.step;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.Manifest;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs a step in-process: the local runner's call and, through {@link StepCli}, the container's.
 * Everything a user can get wrong is checked before the step starts — unknown or missing names,
 * parameter types, input artifacts against their declared schema and digests — and what the step
 * promised is checked after it returns: every output written, every declared report in it, every
 * output parameter reported.
 * Output parameters reach the sinks only then.
 */
public final class StepRunner {

    /** One call: paths of inputs and outputs, parameters as text (as they come from a CLI or an engine). */
    public record Invocation(Map<String, Path> inputs, Map<String, Path> outputs, Map<String, String> parameters,
            List<OutputSink> sinks, PrintStream log, boolean terminal) {
        public Invocation {
            inputs = Map.copyOf(inputs);
            outputs = Map.copyOf(outputs);
            parameters = Map.copyOf(parameters);
            sinks = List.copyOf(sinks);
        }
    }

    /** What a finished step reported. */
    public record Result(Map<String, Object> outputParameters, Map<String, Double> metrics) {}

    private StepRunner() {}

    public static Result run(Step step, Invocation call) throws Exception {
        StepDefinition def = step.definition();
        Map<String, Object> params = parameters(def, call.parameters());
        Map<String, Path> outputs = outputs(def, call);
        Map<String, ArtifactReader> inputs = inputs(def, call.inputs());
        Map<String, List<ArtifactReader>> shards = shards(def, call.inputs());

        StepContext ctx = new StepContext(def, inputs, shards, outputs, params, call.log(), call.terminal());
        step.run(ctx);

        for (ArtifactPort port : def.outputs()) {
            Path dir = outputs.get(port.name());
            if (!Files.isRegularFile(dir.resolve(Manifest.FILE_NAME))) {
                throw new IllegalStateException("step " + def.name() + " finished without writing its output '" + port.name() + "' to " + dir);
            }
            ArtifactReader.open(dir, port.schema(), port.schemaVersion(), false);
        }
        for (ReportFile report : def.reports()) {
            reportFile(def, report, outputs);
        }
        TreeSet<String> missing = new TreeSet<>();
        def.outputParameters().forEach(o -> {
            if (!o.optional() && !ctx.reportedOutputParameters().containsKey(o.name())) {
                missing.add(o.name());
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalStateException("step " + def.name() + " finished without reporting output parameters " + missing);
        }
        Map<String, Object> reported = new LinkedHashMap<>();
        def.outputParameters().stream().filter(o -> ctx.reportedOutputParameters().containsKey(o.name()))
                .forEach(o -> reported.put(o.name(), ctx.reportedOutputParameters().get(o.name())));
        for (OutputSink sink : call.sinks()) {
            sink.write(def, outputs, reported, ctx.reportedMetrics());
        }
        return new Result(reported, Map.copyOf(ctx.reportedMetrics()));
    }

    /** Where a declared report is in the step's committed outputs; an error naming the file if it is not there. */
    static Path reportFile(StepDefinition def, ReportFile report, Map<String, Path> outputs) {
        Path dir = outputs.get(report.outputPort());
        if (dir == null) {
            throw new IllegalStateException("step " + def.name() + ": report '" + report.name() + "' is in output '" + report.outputPort()
                    + "', which this run was not given");
        }
        Path file = dir.resolve(report.file());
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("step " + def.name() + " finished without writing its report " + report.file()
                    + " in output '" + report.outputPort() + "' (" + file + ")");
        }
        return file;
    }

    static Map<String, Object> parameters(StepDefinition def, Map<String, String> given) {
        for (String name : given.keySet()) {
            if (def.parameter(name).isEmpty()) {
                throw new IllegalArgumentException("unknown parameter '" + name + "' for step " + def.name() + "; known: "
                        + def.parameters().stream().map(ParameterSpec::name).toList());
            }
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (ParameterSpec p : def.parameters()) {
            String text = given.get(p.name());
            if (text == null) {
                if (p.isRequired()) {
                    throw new IllegalArgumentException("parameter " + p.name() + " is required (--" + p.name() + "): " + p.description());
                }
                text = p.defaultValue();
            }
            typed.put(p.name(), p.parse(text));
        }
        return typed;
    }

    private static Map<String, Path> outputs(StepDefinition def, Invocation call) {
        for (String name : call.outputs().keySet()) {
            if (def.output(name).isEmpty()) {
                throw new IllegalArgumentException("unknown output '" + name + "' for step " + def.name());
            }
        }
        Map<String, Path> outputs = new LinkedHashMap<>();
        for (ArtifactPort port : def.outputs()) {
            Path p = call.outputs().get(port.name());
            if (p == null) {
                throw new IllegalArgumentException("output " + port.name() + " needs a directory (--" + port.name() + ")");
            }
            for (Path in : call.inputs().values()) {
                if (in.toAbsolutePath().normalize().equals(p.toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException("output " + port.name() + ": " + p + " is also an input; an artifact is never overwritten by its consumer");
                }
            }
            outputs.put(port.name(), p);
        }
        return outputs;
    }

    private static Map<String, ArtifactReader> inputs(StepDefinition def, Map<String, Path> given) {
        for (String name : given.keySet()) {
            if (def.input(name).isEmpty()) {
                throw new IllegalArgumentException("unknown input '" + name + "' for step " + def.name());
            }
        }
        Map<String, ArtifactReader> readers = new LinkedHashMap<>();
        for (ArtifactPort port : def.inputs()) {
            Path p = given.get(port.name());
            if (p == null) {
                if (!port.optional()) {
                    throw new IllegalArgumentException("input " + port.name() + " is required (--" + port.name() + " DIR, a " + port.schema() + " artifact)");
                }
                continue;
            }
            if (port.shards()) {
                continue;
            }
            if (!Files.isDirectory(p)) {
                throw new ArtifactException("input " + port.name() + ": " + p + " is not a directory (expected a " + port.schema() + " artifact)");
            }
            readers.put(port.name(), ArtifactReader.open(p, port.schema(), port.schemaVersion()));
        }
        return readers;
    }

    /** The inputs declared {@link ArtifactPort#asShards() as shards}, each opened shard by shard in shard order. */
    private static Map<String, List<ArtifactReader>> shards(StepDefinition def, Map<String, Path> given) {
        Map<String, List<ArtifactReader>> out = new LinkedHashMap<>();
        for (ArtifactPort port : def.inputs()) {
            Path p = given.get(port.name());
            if (port.shards() && p != null) {
                out.put(port.name(), Sharding.open(p, port));
            }
        }
        return out;
    }
}
