package dev.tether.pipeline.compile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.pipeline.ArtifactSource;
import dev.tether.pipeline.ParameterSource;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.Task;
import dev.tether.pipeline.compile.Components.Component;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fanned-out task in KFP v2 IR, as the KFP SDK compiles {@code dsl.ParallelFor} with
 * {@code dsl.Collected} (sdk/python/test_data/pipelines/parallelfor_fan_in/): in the root DAG, task
 * {@code <task>} runs DAG component {@code comp-for-loop-<task>} with a {@code parameterIterator}
 * over the shard indices; inside it, task {@code <t>-shard} runs the step of each task {@code t} of
 * the loop body ({@link Pipeline#loopBody}: the fan-out and those reading its same shard, e.g.
 * rollout then reward) with {@code shard_index} bound to the loop item. Everything the steps read
 * from outside the loop enters the loop component as a {@code pipelinechannel--…} input; every body
 * task's output leaves it as an artifact list ({@code isArtifactList}), which a merge task reads as
 * its list input from the loop task.
 *
 * <p>KFP iterates over lists, not counts: a count that is pipeline parameter {@code num_shards}
 * comes with LIST parameter {@code shard_indices} (default {@code [0 … default-1]}), which a run
 * sets together with it. A run where they disagree fails in the merge, naming the missing shard.
 */
final class ParallelFor {
    static final String CHANNEL = "pipelinechannel--";

    private ParallelFor() {}

    static String component(Task task) {
        return "comp-for-loop-" + task.name();
    }

    static String innerTask(String task) {
        return task + "-shard";
    }

    /** The loop component's output holding every shard's {@code output}. */
    static String collectedOutput(String task, String output) {
        return CHANNEL + task + "-" + output;
    }

    private static String itemInput(Task task) {
        return CHANNEL + task.name() + "-loop-item";
    }

    /** The LIST pipeline parameter that stands for count parameter {@code count}: num_shards → shard_indices. */
    static String indicesParameter(String count) {
        String base = count.startsWith("num_") ? count.substring(4) : count;
        return (base.endsWith("s") ? base.substring(0, base.length() - 1) : base) + "_indices";
    }

    /** Root input parameters for the shard indices of every fan-out counted by a pipeline parameter. */
    static Map<String, ObjectNode> indexParameters(Pipeline pipeline) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (Task t : pipeline.tasks()) {
            if (t.shards() instanceof ParameterSource.PipelineParameter p && !out.containsKey(indicesParameter(p.name()))) {
                ParameterSpec count = pipeline.parameter(p.name()).orElseThrow();
                ObjectNode spec = Yaml.object();
                spec.put("parameterType", "LIST");
                if (count.defaultValue() != null) {
                    spec.set("defaultValue", range(Long.parseLong(count.defaultValue().trim())));
                    spec.put("isOptional", true);
                }
                spec.put("description", "The shard indices 0 … " + p.name() + "-1 that KFP's ParallelFor iterates over (it loops over a list, "
                        + "not a count): set it with " + p.name() + ", e.g. [0, 1, 2] for 3. A run where they disagree fails in the merge.");
                out.put(indicesParameter(p.name()), spec);
            }
        }
        return out;
    }

    private static ArrayNode range(long count) {
        ArrayNode list = Yaml.nodes().arrayNode();
        for (long i = 0; i < count; i++) {
            list.add(i);
        }
        return list;
    }

    /** The names, inside the loop component, of what {@code task} reads from outside it. */
    private static String channel(ParameterSource source) {
        if (source instanceof ParameterSource.PipelineParameter p) {
            return CHANNEL + p.name();
        }
        ParameterSource.TaskOutput o = (ParameterSource.TaskOutput) source;
        return CHANNEL + o.task() + "-" + o.parameter();
    }

    private static String channel(ArtifactSource source) {
        if (source instanceof ArtifactSource.TaskOutput o) {
            return CHANNEL + o.task() + "-" + o.output();
        }
        ArtifactSource.PipelineInput in = (ArtifactSource.PipelineInput) source;
        return CHANNEL + KfpCompiler.importerTask(in.name()) + "-" + KfpCompiler.IMPORTER_OUTPUT;
    }

    /**
     * The DAG component that runs the loop body once per loop item: its tasks (the loop's first
     * task, then those reading the same shard of it, see {@link Pipeline#loopBody}), each as
     * {@code <task>-shard}, with the outputs of every one of them collected.
     */
    static ObjectNode loopComponent(List<Task> body, Components components, KfpCompiler compiler) {
        Task loop = body.get(0);
        ObjectNode comp = Yaml.object();
        ObjectNode inputs = comp.putObject("inputDefinitions");
        ObjectNode inParams = inputs.putObject("parameters");
        ObjectNode inArts = inputs.putObject("artifacts");
        ObjectNode tasks = Yaml.object();
        for (Task task : body) {
            Component component = components.of(task);
            ObjectNode inner = Yaml.object();
            inner.putObject("cachingOptions").put("enableCache", !task.step().stochastic());
            inner.putObject("componentRef").put("name", "comp-" + component.name());
            ObjectNode wired = inner.putObject("inputs");
            ObjectNode arts = wired.putObject("artifacts");
            Set<String> deps = new TreeSet<>();
            for (ArtifactPort port : component.inputs()) {
                ArtifactSource source = task.inputs().get(port.name());
                if (source instanceof ArtifactSource.SameShard o) {
                    ObjectNode from = arts.putObject(port.name()).putObject("taskOutputArtifact");
                    from.put("producerTask", innerTask(o.task()));
                    from.put("outputArtifactKey", o.output());
                    deps.add(innerTask(o.task()));
                    continue;
                }
                String channel = channel(source);
                arts.putObject(port.name()).put("componentInputArtifact", channel);
                inArts.putObject(channel).set("artifactType", KfpCompiler.artifactType(port.kind()));
            }
            ObjectNode params = wired.putObject("parameters");
            task.step().parameters().stream().map(ParameterSpec::name).filter(task.parameters()::containsKey).forEach(name -> {
                ParameterSource source = task.parameters().get(name);
                ParamType type = task.step().parameter(name).orElseThrow().type();
                ObjectNode p = params.putObject(name);
                if (source instanceof ParameterSource.Constant c) {
                    p.putObject("runtimeValue").set("constant", KfpCompiler.value(type, c.text()));
                } else if (source instanceof ParameterSource.ShardIndex) {
                    p.put("componentInputParameter", itemInput(loop));
                } else {
                    p.put("componentInputParameter", channel(source));
                    inParams.putObject(channel(source)).put("parameterType", type.kfpType());
                }
            });
            if (arts.isEmpty()) {
                wired.remove("artifacts");
            }
            if (!deps.isEmpty()) {
                ArrayNode d = inner.putArray("dependentTasks");
                deps.forEach(d::add);
            }
            compiler.putRetryPolicy(inner);
            inner.putObject("taskInfo").put("name", innerTask(task.name()));
            tasks.set(innerTask(task.name()), inner);
        }
        if (loop.shards() instanceof ParameterSource.PipelineParameter count) {
            inParams.putObject(CHANNEL + indicesParameter(count.name())).put("parameterType", "LIST");
        }
        inParams.putObject(itemInput(loop)).put("parameterType", ParamType.INT.kfpType());
        if (inArts.isEmpty()) {
            inputs.remove("artifacts");
        }
        ObjectNode dag = comp.putObject("dag");
        dag.set("tasks", tasks);
        ObjectNode outArts = dag.putObject("outputs").putObject("artifacts");
        ObjectNode outDefs = comp.putObject("outputDefinitions").putObject("artifacts");
        for (Task task : body) {
            for (ArtifactPort out : task.step().outputs()) {
                String key = collectedOutput(task.name(), out.name());
                ObjectNode sel = outArts.putObject(key).putArray("artifactSelectors").addObject();
                sel.put("outputArtifactKey", out.name());
                sel.put("producerSubtask", innerTask(task.name()));
                ObjectNode d = outDefs.putObject(key);
                d.set("artifactType", KfpCompiler.artifactType(out.kind()));
                d.put("isArtifactList", true);
            }
        }
        return comp;
    }

    /** The root DAG's task that runs the loop, passing in what the body's steps read from outside it. */
    static ObjectNode outerTask(List<Task> body, Pipeline pipeline) {
        Task task = body.get(0);
        Set<String> inLoop = new HashSet<>();
        body.forEach(b -> inLoop.add(b.name()));
        ObjectNode t = Yaml.object();
        t.putObject("componentRef").put("name", component(task));
        Set<String> deps = new TreeSet<>();
        body.forEach(b -> b.dependencies().stream().filter(d -> !inLoop.contains(d)).map(d -> KfpCompiler.dagTask(pipeline, d)).forEach(deps::add));
        ObjectNode inputs = t.putObject("inputs");
        ObjectNode arts = inputs.putObject("artifacts");
        ObjectNode params = inputs.putObject("parameters");
        for (Task b : body) {
            wireChannels(b, arts, params, deps);
        }
        ObjectNode iterator = t.putObject("parameterIterator");
        iterator.put("itemInput", itemInput(task));
        if (task.shards() instanceof ParameterSource.PipelineParameter count) {
            String indices = indicesParameter(count.name());
            params.putObject(CHANNEL + indices).put("componentInputParameter", indices);
            iterator.putObject("items").put("inputParameter", CHANNEL + indices);
        } else {
            iterator.putObject("items").put("raw", range(Long.parseLong(((ParameterSource.Constant) task.shards()).text().trim())).toString());
        }
        if (arts.isEmpty()) {
            inputs.remove("artifacts");
        }
        if (!deps.isEmpty()) {
            ArrayNode d = t.putArray("dependentTasks");
            deps.forEach(d::add);
        }
        t.putObject("taskInfo").put("name", task.name());
        return t;
    }

    /** What {@code task} reads from outside the loop, passed into the loop component as channels. */
    private static void wireChannels(Task task, ObjectNode arts, ObjectNode params, Set<String> deps) {
        for (ArtifactSource source : task.inputs().values()) {
            if (source instanceof ArtifactSource.SameShard) {
                continue;
            }
            ObjectNode from = arts.putObject(channel(source)).putObject("taskOutputArtifact");
            if (source instanceof ArtifactSource.TaskOutput o) {
                from.put("producerTask", o.task());
                from.put("outputArtifactKey", o.output());
            } else {
                ArtifactSource.PipelineInput in = (ArtifactSource.PipelineInput) source;
                from.put("producerTask", KfpCompiler.importerTask(in.name()));
                from.put("outputArtifactKey", KfpCompiler.IMPORTER_OUTPUT);
                deps.add(KfpCompiler.importerTask(in.name()));
            }
        }
        for (ParameterSource source : task.parameters().values()) {
            if (source instanceof ParameterSource.PipelineParameter p) {
                params.putObject(channel(source)).put("componentInputParameter", p.name());
            } else if (source instanceof ParameterSource.TaskOutput o) {
                ObjectNode from = params.putObject(channel(source)).putObject("taskOutputParameter");
                from.put("producerTask", o.task());
                from.put("outputParameterKey", o.parameter());
            }
        }
    }
}
