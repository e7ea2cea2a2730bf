package dev.tether.pipeline;

import dev.tether.step.ArtifactPort;
import dev.tether.step.OutputParameter;
import dev.tether.step.ParameterSpec;
import dev.tether.step.Sharding;
import dev.tether.step.StepDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything that can be checked before a pipeline runs, found all at once: names, that every
 * wired name exists in the step's definition, artifact schemas and parameter types across each
 * edge, required inputs and parameters wired, no cycles. Each problem names the task and field.
 */
final class PipelineValidator {
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
    private final Map<String, ArtifactPort> inputs = new LinkedHashMap<>();
    private final Set<String> usedParameters = new HashSet<>();
    private final Set<String> usedInputs = new HashSet<>();

    private PipelineValidator() {}

    static List<String> problems(String name, List<ParameterSpec> parameters, List<ArtifactPort> inputs, List<Task> tasks) {
        PipelineValidator v = new PipelineValidator();
        v.check(name, parameters, inputs, tasks);
        return v.problems;
    }

    private void check(String name, List<ParameterSpec> params, List<ArtifactPort> ins, List<Task> all) {
        String bad = Names.problem(name);
        if (bad != null) {
            problems.add("pipeline name: " + bad);
        }
        // Parameters and input artifacts share one namespace, as they do in a KFP pipeline spec.
        for (ParameterSpec p : params) {
            if (parameters.putIfAbsent(p.name(), p) != null) {
                problems.add("pipeline parameter '" + p.name() + "' is declared twice");
            }
        }
        for (ArtifactPort in : ins) {
            if (parameters.containsKey(in.name()) || inputs.putIfAbsent(in.name(), in) != null) {
                problems.add("pipeline input '" + in.name() + "' is declared twice (parameters and inputs share one namespace)");
            }
        }
        for (Task t : all) {
            String badName = Names.problem(t.name());
            if (badName != null) {
                problems.add("task " + t.name() + ": name: " + badName);
            }
            if (tasks.putIfAbsent(t.name(), t) != null) {
                problems.add("task " + t.name() + ": name: used by two tasks; task names must be unique");
            }
        }
        for (Task t : all) {
            checkInputs(t);
            checkParameters(t);
            checkAfter(t);
        }
        parameters.keySet().stream().filter(p -> !usedParameters.contains(p))
                .forEach(p -> problems.add("pipeline parameter '" + p + "': declared but no task uses it"));
        inputs.keySet().stream().filter(i -> !usedInputs.contains(i))
                .forEach(i -> problems.add("pipeline input '" + i + "': declared but no task uses it"));
        List<String> cycle = TaskOrder.cycle(all);
        if (!cycle.isEmpty()) {
            Task first = tasks.get(cycle.get(0));
            problems.add("task " + first.name() + ": " + via(first, cycle.get(1)) + " closes a cycle: " + String.join(" → ", cycle)
                    + " (each task waits for the next)");
        }
    }

    private void checkInputs(Task t) {
        StepDefinition step = t.step();
        t.inputs().forEach((port, source) -> {
            String field = "task " + t.name() + ": input '" + port + "'";
            Optional<ArtifactPort> declared = step.input(port);
            if (declared.isEmpty()) {
                problems.add(field + ": step " + step.name() + " has no such input; its inputs: " + names(step.inputs()));
                return;
            }
            ArtifactPort in = declared.get();
            if (in.shards() && !(source instanceof ArtifactSource.Shards)) {
                problems.add(field + ": step " + step.name() + " reads it as the shards of a fan-out; wire it to fannedOutTask.shards(output), not "
                        + source);
                return;
            }
            if (source instanceof ArtifactSource.TaskOutput o) {
                Task up = upstream(field, o.task());
                if (up == null) {
                    return;
                }
                if (up.fannedOut()) {
                    problems.add(field + ": task " + up.name() + " runs once per shard, so it has no single output '" + o.output()
                            + "'; a step that merges them reads " + up.name() + ".shards(\"" + o.output() + "\") through an input declared asShards()");
                    return;
                }
                checkOutput(field, in, up, o.output());
            } else if (source instanceof ArtifactSource.SameShard o) {
                Task up = upstream(field, o.task());
                if (up == null) {
                    return;
                }
                if (!t.fannedOut() || !up.fannedOut() || !up.shards().equals(t.shards())) {
                    problems.add(field + ": reads the same shard of " + up.name() + ", so both must be fanned out over the same count (found "
                            + t.name() + ": " + (t.fannedOut() ? t.shards() : "not fanned out") + ", " + up.name() + ": "
                            + (up.fannedOut() ? up.shards() : "not fanned out") + ")");
                    return;
                }
                checkOutput(field, in, up, o.output());
            } else if (source instanceof ArtifactSource.Shards o) {
                Task up = upstream(field, o.task());
                if (up == null) {
                    return;
                }
                if (!in.shards()) {
                    problems.add(field + ": gets every shard of " + up.name() + "'s output '" + o.output() + "', but step " + step.name()
                            + " reads one artifact there (a merge step declares the input asShards())");
                    return;
                }
                if (!up.fannedOut()) {
                    problems.add(field + ": task " + up.name() + " is not fanned out (PipelineBuilder.fanOut), so it has no shards");
                    return;
                }
                if (t.fannedOut()) {
                    problems.add(field + ": a fanned-out task cannot read the shards of another fan-out; merge them in a task of its own first");
                    return;
                }
                checkOutput(field, in, up, o.output());
            } else if (source instanceof ArtifactSource.PipelineInput p) {
                ArtifactPort given = inputs.get(p.name());
                if (given == null) {
                    problems.add(field + ": no pipeline input '" + p.name() + "'; declared: " + inputs.keySet());
                    return;
                }
                usedInputs.add(p.name());
                checkSchema(field, in, given, "pipeline input '" + p.name() + "'");
                if (given.optional() && !in.optional()) {
                    problems.add(field + ": required by step " + step.name() + ", but pipeline input '" + p.name() + "' is optional");
                }
            }
        });
        for (ArtifactPort in : step.inputs()) {
            if (!in.optional() && !t.inputs().containsKey(in.name())) {
                problems.add("task " + t.name() + ": input '" + in.name() + "': required by step " + step.name() + " (a " + in.schema()
                        + " artifact) but not wired");
            }
        }
    }

    /** Task {@code up} declares {@code output}, of a schema input {@code in} reads. */
    private void checkOutput(String field, ArtifactPort in, Task up, String output) {
        Optional<ArtifactPort> out = up.step().output(output);
        if (out.isEmpty()) {
            problems.add(field + ": task " + up.name() + " (step " + up.step().name() + ") has no output '" + output
                    + "'; its outputs: " + names(up.step().outputs()));
            return;
        }
        checkSchema(field, in, out.get(), "task " + up.name() + "'s output '" + output + "'");
    }

    // A reader accepts its schema up to the version it supports (ArtifactReader.open).
    private void checkSchema(String field, ArtifactPort in, ArtifactPort from, String what) {
        if (!in.schema().equals(from.schema()) || from.schemaVersion() > in.schemaVersion()) {
            problems.add(field + ": expected a " + in.schema() + " artifact (version ≤ " + in.schemaVersion() + "), but " + what + " is "
                    + from.schema() + " version " + from.schemaVersion());
        }
    }

    private void checkParameters(Task t) {
        StepDefinition step = t.step();
        t.parameters().forEach((name, source) -> {
            String field = "task " + t.name() + ": parameter '" + name + "'";
            Optional<ParameterSpec> declared = step.parameter(name);
            if (declared.isEmpty()) {
                boolean shardParameter = name.equals(Sharding.SHARD_INDEX) || name.equals(Sharding.NUM_SHARDS);
                problems.add(field + ": step " + step.name() + " has no such parameter; its parameters: "
                        + step.parameters().stream().map(ParameterSpec::name).toList()
                        + (shardParameter ? " (a step that fans out declares Sharding.parameters())" : ""));
                return;
            }
            ParameterSpec spec = declared.get();
            if (source instanceof ParameterSource.ShardIndex) {
                if (!t.fannedOut()) {
                    problems.add(field + ": the shard index exists only in a fanned-out task (PipelineBuilder.fanOut)");
                } else if (spec.type() != dev.tether.step.ParamType.INT) {
                    problems.add(field + ": the shard index is an INT, but the step declares " + spec.type());
                }
                return;
            }
            if (source instanceof ParameterSource.Constant c) {
                parses(field, spec, c.text(), "");
            } else if (source instanceof ParameterSource.PipelineParameter p) {
                ParameterSpec given = parameters.get(p.name());
                if (given == null) {
                    problems.add(field + ": no pipeline parameter '" + p.name() + "'; declared: " + parameters.keySet());
                    return;
                }
                usedParameters.add(p.name());
                if (given.type() != spec.type()) {
                    problems.add(field + ": expected " + spec.type() + ", but pipeline parameter '" + p.name() + "' is " + given.type());
                } else if (given.defaultValue() != null) {
                    parses(field, spec, given.defaultValue(), " (the default of pipeline parameter '" + p.name() + "')");
                }
            } else if (source instanceof ParameterSource.TaskOutput o) {
                Task up = upstream(field, o.task());
                if (up == null) {
                    return;
                }
                Optional<OutputParameter> out = up.step().outputParameters().stream().filter(op -> op.name().equals(o.parameter())).findFirst();
                if (up.fannedOut()) {
                    problems.add(field + ": task " + up.name() + " runs once per shard, so its output parameter '" + o.parameter()
                            + "' has one value per shard; no engine passes such a list to a parameter");
                } else if (out.isEmpty()) {
                    problems.add(field + ": task " + up.name() + " (step " + up.step().name() + ") reports no output parameter '"
                            + o.parameter() + "'; it reports: " + up.step().outputParameters().stream().map(OutputParameter::name).toList());
                } else if (out.get().type() != spec.type()) {
                    problems.add(field + ": expected " + spec.type() + ", but task " + up.name() + "'s output parameter '" + o.parameter()
                            + "' is " + out.get().type());
                }
            }
        });
        if (t.fannedOut()) {
            checkFanOut(t);
            // One loop body per task: KFP nests a task in exactly one ParallelFor.
            List<String> loops = t.inputs().values().stream().filter(ArtifactSource.SameShard.class::isInstance)
                    .map(s -> ((ArtifactSource.SameShard) s).task()).distinct().toList();
            if (loops.size() > 1) {
                problems.add("task " + t.name() + ": reads the same shard of " + loops + "; a task reads the same shard of one fan-out only");
            }
        }
        for (ParameterSpec p : step.parameters()) {
            if (p.isRequired() && !t.parameters().containsKey(p.name())) {
                problems.add("task " + t.name() + ": parameter '" + p.name() + "': required by step " + step.name() + " (" + p.type()
                        + ", no default) but not wired");
            }
        }
    }

    /** A fan-out's count is a positive INT known when the run starts, and its shards are told which they are. */
    private void checkFanOut(Task t) {
        String field = "task " + t.name() + ": shards";
        ParameterSource count = t.shards();
        String text = null;
        if (count instanceof ParameterSource.Constant c) {
            text = c.text();
        } else if (count instanceof ParameterSource.PipelineParameter p) {
            ParameterSpec given = parameters.get(p.name());
            if (given == null) {
                problems.add(field + ": no pipeline parameter '" + p.name() + "'; declared: " + parameters.keySet());
                return;
            }
            if (given.type() != dev.tether.step.ParamType.INT) {
                problems.add(field + ": pipeline parameter '" + p.name() + "' is " + given.type() + "; a shard count is an INT");
                return;
            }
            text = given.defaultValue();
        } else {
            problems.add(field + ": expected a pipeline parameter or a constant (the engines size a loop before it starts), got " + count);
            return;
        }
        if (text != null) {
            try {
                if (Long.parseLong(text.trim()) < 1) {
                    problems.add(field + ": expected ≥ 1 shard, got " + text);
                }
            } catch (NumberFormatException e) {
                problems.add(field + ": expected a whole number of shards, got '" + text + "'");
            }
        }
        if (!(t.parameters().get(Sharding.SHARD_INDEX) instanceof ParameterSource.ShardIndex)
                || !count.equals(t.parameters().get(Sharding.NUM_SHARDS))) {
            problems.add(field + ": a fanned-out task's " + Sharding.SHARD_INDEX + " is the shard index and its " + Sharding.NUM_SHARDS
                    + " the shard count (as PipelineBuilder.fanOut wires them)");
        }
    }

    private void parses(String field, ParameterSpec spec, String text, String note) {
        try {
            spec.parse(text);
        } catch (IllegalArgumentException e) {
            // ParameterSpec's message starts with the parameter name, which field already says.
            String why = e.getMessage().startsWith(spec.name() + ": ") ? e.getMessage().substring(spec.name().length() + 2) : e.getMessage();
            problems.add(field + ": " + why + note);
        }
    }

    private void checkAfter(Task t) {
        for (String a : t.after()) {
            if (a.equals(t.name())) {
                problems.add("task " + t.name() + ": after: a task cannot wait for itself");
            } else {
                upstream("task " + t.name() + ": after", a);
            }
        }
    }

    private Task upstream(String field, String name) {
        Task up = tasks.get(name);
        if (up == null) {
            problems.add(field + ": no task '" + name + "' in the pipeline; tasks: " + tasks.keySet());
        }
        return up;
    }

    /** Which field of {@code t} makes it wait for {@code dep}. */
    private static String via(Task t, String dep) {
        for (var e : t.inputs().entrySet()) {
            if (e.getValue() instanceof ArtifactSource.TaskOutput o && o.task().equals(dep)) {
                return "input '" + e.getKey() + "' (from " + o + ")";
            }
            if (e.getValue() instanceof ArtifactSource.SameShard o && o.task().equals(dep)) {
                return "input '" + e.getKey() + "' (from " + o + ")";
            }
            if (e.getValue() instanceof ArtifactSource.Shards o && o.task().equals(dep)) {
                return "input '" + e.getKey() + "' (from " + o + ")";
            }
        }
        for (var e : t.parameters().entrySet()) {
            if (e.getValue() instanceof ParameterSource.TaskOutput o && o.task().equals(dep)) {
                return "parameter '" + e.getKey() + "' (from " + o + ")";
            }
        }
        return "after '" + dep + "'";
    }

    private static List<String> names(List<ArtifactPort> ports) {
        return ports.stream().map(ArtifactPort::name).toList();
    }
}
