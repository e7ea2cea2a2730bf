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
import dev.tether.steps.rollout.ShardPlanStep;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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
 * <p>KFP iterates over lists, not counts: for a count that is pipeline parameter {@code num_shards},
 * the root DAG gets task {@code shard-plan-num-shards} (step {@link ShardPlanStep}, in the rollout
 * image, cached) whose output parameter {@code shard_indices} = {@code [0 … num_shards-1]} is the
 * loop's items, as the KFP SDK compiles {@code dsl.ParallelFor(items=task.output)}
 * (sdk/python/test_data/pipelines/pipeline_with_loops.yaml): the loop task takes it as input
 * {@code pipelinechannel--shard-plan-num-shards-shard_indices} ({@code taskOutputParameter}),
 * iterates over that input, and depends on the plan task. One plan task serves every loop over the
 * same count. A run sets only {@code num_shards}. This is how KFP spells a count loop, like an
 * importer: the pipeline model, the local runner and Argo ({@code withSequence}) loop over the
 * count itself. A constant count is a {@code raw} list.
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

    /** The component of {@link ShardPlanStep}, which turns a count into the list a loop iterates over. */
    static final Component PLAN = new Component(ShardPlanStep.NAME, ShardPlanStep.DEFINITION, List.of(), false);

    /** The root task that plans the shards of every loop counted by pipeline parameter {@code count}: num_shards → shard-plan-num-shards. */
    static String planTask(String count) {
        return ShardPlanStep.NAME + "-" + count.replace('_', '-');
    }

    /** The loop component's input (and the loop task's) holding the shard indices planned for {@code count}. */
    private static String indicesChannel(String count) {
        return CHANNEL + planTask(count) + "-" + ShardPlanStep.SHARD_INDICES;
    }

    /** The count parameters of the pipeline's loops, each once, in task order. */
    static Set<String> countParameters(Pipeline pipeline) {
        Set<String> out = new LinkedHashSet<>();
        for (Task t : pipeline.tasks()) {
            if (t.fannedOut() && t.shards() instanceof ParameterSource.PipelineParameter p) {
                out.add(p.name());
            }
        }
        return out;
    }

    /**
     * The root task that runs shard-plan on count parameter {@code count}; cached, since the plan
     * depends on the count alone.
     */
    static ObjectNode planTask(String count, KfpCompiler compiler) {
        ObjectNode t = Yaml.object();
        t.putObject("cachingOptions").put("enableCache", true);
        t.putObject("componentRef").put("name", "comp-" + PLAN.name());
        t.putObject("inputs").putObject("parameters").putObject(ShardPlanStep.NUM_SHARDS).put("componentInputParameter", count);
        compiler.putRetryPolicy(t);
        t.putObject("taskInfo").put("name", planTask(count));
        return t;
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
            inParams.putObject(indicesChannel(count.name())).put("parameterType", ParamType.LIST.kfpType());
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
            // As the KFP SDK compiles dsl.ParallelFor(items=plan.output): the list enters the loop
            // task from the plan task's output parameter, and the loop waits for the plan.
            String channel = indicesChannel(count.name());
            ObjectNode from = params.putObject(channel).putObject("taskOutputParameter");
            from.put("producerTask", planTask(count.name()));
            from.put("outputParameterKey", ShardPlanStep.SHARD_INDICES);
            deps.add(planTask(count.name()));
            iterator.putObject("items").put("inputParameter", channel);
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
