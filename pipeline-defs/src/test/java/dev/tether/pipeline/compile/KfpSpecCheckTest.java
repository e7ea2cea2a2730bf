package dev.tether.pipeline.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each check of {@link KfpSpecCheck} catches the mistake it is there for: a correct spec is
 * broken in one place and the problem must name that place.
 */
class KfpSpecCheckTest {
    static final JsonNode SPEC = new KfpCompiler(CompileSettings.defaults()).compile(KfpCompilerTest.RLHF);

    static List<String> broken(Consumer<ObjectNode> change) {
        ObjectNode copy = SPEC.deepCopy();
        change.accept(copy);
        return KfpSpecCheck.problems(copy);
    }

    static ObjectNode task(ObjectNode spec, String name) {
        return (ObjectNode) spec.path("root").path("dag").path("tasks").path(name);
    }

    @Test
    void theCompiledSpecPasses() {
        assertThat(KfpSpecCheck.problems(SPEC)).isEmpty();
    }

    @Test
    void unknownFieldsAreErrorsAtAnyLevel() {
        assertThat(broken(s -> task(s, "reference-0").putObject("cachingOption").put("enableCache", true)))
                .containsExactly("root.dag.tasks.reference-0.cachingOption: unknown field 'cachingOption' (a PipelineTaskSpec has taskInfo, inputs, "
                        + "dependentTasks, cachingOptions, componentRef, triggerPolicy, artifactIterator, parameterIterator, retryPolicy, iteratorPolicy)");
        assertThat(broken(s -> ((ObjectNode) s.path("deploymentSpec").path("executors").path("exec-reward").path("container"))
                .put("imagePullPolicy", "Always")))
                .singleElement().asString().startsWith("deploymentSpec.executors.exec-reward.container.imagePullPolicy: unknown field");
        assertThat(broken(s -> s.put("pipelineSpec", "x"))).singleElement().asString().startsWith("pipelineSpec: unknown field");
    }

    @Test
    void wrongValueTypesAreErrors() {
        assertThat(broken(s -> task(s, "reference-0").putObject("retryPolicy").put("maxRetryCount", "2")))
                .containsExactly("root.dag.tasks.reference-0.retryPolicy.maxRetryCount: expected an integer, found a string '2'");
        assertThat(broken(s -> task(s, "reference-0").putObject("retryPolicy").put("backoffDuration", "30")))
                .containsExactly("root.dag.tasks.reference-0.retryPolicy.backoffDuration: expected a duration like 30s, found a string '30'");
    }

    @Test
    void uploadChecks() {
        assertThat(broken(s -> s.put("schemaVersion", "2.0.0"))).containsExactly("schemaVersion: KFP only supports 2.1.0, found '2.0.0'");
        assertThat(broken(s -> ((ObjectNode) s.path("pipelineInfo")).put("name", "RLHF_PPO")))
                .singleElement().asString().startsWith("pipelineInfo.name: expected lower case letters");
        assertThat(broken(s -> ((ObjectNode) s.path("pipelineInfo")).put("name", ""))).containsExactly("pipelineInfo.name: expected a name, found none");
        assertThat(broken(s -> s.remove("root"))).contains("root: expected the root component, found none");
        String yaml = Yaml.write(SPEC, List.of());
        assertThat(KfpSpecCheck.problems(yaml + "---\n" + yaml))
                .containsExactly("expected one YAML document (the pipeline spec), found 2");
    }

    @Test
    void referencesMustResolve() {
        assertThat(broken(s -> ((ObjectNode) task(s, "reference-0").path("componentRef")).put("name", "comp-score")))
                .anySatisfy(p -> assertThat(p).startsWith("root.dag.tasks.reference-0.componentRef.name: no component 'comp-score'"));
        assertThat(broken(s -> ((ObjectNode) s.path("components").path("comp-reward")).put("executorLabel", "exec-score")))
                .anySatisfy(p -> assertThat(p).startsWith("components.comp-reward.executorLabel: no executor 'exec-score'"));
        ObjectNode extra = SPEC.path("components").path("comp-reward").deepCopy();
        assertThat(broken(s -> ((ObjectNode) s.path("components")).set("comp-unused", extra)))
                .containsExactly("components.comp-unused: no task uses it");
    }

    @Test
    void placeholdersMustNameDeclaredInputsAndOutputs() {
        int next = args((ObjectNode) SPEC, "exec-reward").size();
        assertThat(broken(s -> args(s, "exec-reward").add("{{$.inputs.parameters['batchsize']}}")))
                .singleElement().asString()
                .startsWith("deploymentSpec.executors.exec-reward.container.args[" + next + "]: {{$.inputs.parameters['batchsize']}} names inputs parameters "
                        + "'batchsize', which the component does not declare");
        assertThat(broken(s -> args(s, "exec-reward").add("{{$.outputs.artifacts['scores']}}")))
                .singleElement().asString().endsWith("outputs artifacts take .path or .uri");
        assertThat(broken(s -> args(s, "exec-reward").add("{{workflow.name}}")))
                .containsExactly("deploymentSpec.executors.exec-reward.container.args[" + next + "]: unknown placeholder {{workflow.name}}");
        assertThat(broken(s -> ((ObjectNode) s.path("deploymentSpec").path("executors").path("exec-reward").path("container")).remove("command")))
                .singleElement().asString().contains("expected a command (KFP's launcher runs command + args");
    }

    @Test
    void taskInputsMustComeFromSomethingOfTheirType() {
        // a constant of the wrong type
        assertThat(broken(s -> ((ObjectNode) shard(s, 0).path("inputs").path("parameters").path("iteration").path("runtimeValue"))
                .put("constant", "1")))
                .containsExactly(SHARD0 + ".inputs.parameters.iteration.runtimeValue.constant: expected a NUMBER_INTEGER, found \"1\"");
        // an input of the loop component of another type
        assertThat(broken(s -> ((ObjectNode) shard(s, 0).path("inputs").path("parameters").path("shard_index"))
                .put("componentInputParameter", "pipelinechannel--temperature")))
                .containsExactly(SHARD0 + ".inputs.parameters.shard_index.componentInputParameter: pipeline parameter pipelinechannel--temperature "
                        + "is NUMBER_DOUBLE but the input is NUMBER_INTEGER");
        // an upstream artifact of another type (a Model where a Dataset goes)
        assertThat(broken(s -> ((ObjectNode) task(s, "reference-1").path("inputs").path("artifacts").path("rollout").path("taskOutputArtifact"))
                .put("producerTask", "ppo-update-0").put("outputArtifactKey", "updated_policy")))
                .contains("root.dag.tasks.reference-1.inputs.artifacts.rollout.taskOutputArtifact: ppo-update-0.updated_policy is system.Model "
                        + "but the input is system.Dataset");
        // an input the component does not declare
        assertThat(broken(s -> ((ObjectNode) task(s, "reference-0").path("inputs")).putObject("parameters").putObject("batchsize")
                .putObject("runtimeValue").put("constant", 8)))
                .singleElement().asString().startsWith("root.dag.tasks.reference-0.inputs.parameters.batchsize: the component declares no input parameter");
        // a required input left out
        assertThat(broken(s -> ((ObjectNode) task(s, "reference-0").path("inputs").path("artifacts")).remove("reference_policy")))
                .contains("root.dag.tasks.reference-0.inputs.artifacts: required input artifact 'reference_policy' is not given");
    }

    @Test
    void producersMustBeWaitedForAndTheDagAcyclic() {
        assertThat(broken(s -> {
            ArrayNode deps = (ArrayNode) task(s, "reference-0").path("dependentTasks");
            deps.removeAll();
            deps.add("importer-reference-policy");
        })).containsExactly("root.dag.tasks.reference-0.inputs.artifacts.rollout.taskOutputArtifact: reads task merge-rollout-0, "
                + "which dependentTasks does not list");
        assertThat(broken(s -> ((ArrayNode) task(s, "rollout-0").withArray("dependentTasks")).add("ppo-update-0")))
                .contains("root.dag.tasks: dependentTasks form a cycle: merge-rollout-0 → rollout-0 → ppo-update-0 → merge-rollout-0");
        assertThat(broken(s -> ((ArrayNode) task(s, "reference-0").path("dependentTasks")).add("reference-9")))
                .containsExactly("root.dag.tasks.reference-0.dependentTasks: no task 'reference-9' in this DAG");
    }

    static final String SHARD0 = "components.comp-for-loop-rollout-0.dag.tasks.rollout-0-shard";

    static ObjectNode shard(ObjectNode spec, int iteration) {
        return (ObjectNode) spec.path("components").path("comp-for-loop-rollout-" + iteration).path("dag").path("tasks")
                .path("rollout-" + iteration + "-shard");
    }

    static ObjectNode iterator(ObjectNode spec) {
        return (ObjectNode) task(spec, "rollout-0").path("parameterIterator");
    }

    /** The loop's items: the output of the task that plans the shards of num_shards. */
    static final String PLANNED = "pipelinechannel--shard-plan-num-shards-shard_indices";

    static ObjectNode planned(ObjectNode spec) {
        return (ObjectNode) task(spec, "rollout-0").path("inputs").path("parameters").path(PLANNED).path("taskOutputParameter");
    }

    @Test
    void aLoopOverACountReadsTheListItsPlanTaskOutputsAndWaitsForIt() {
        String at = "root.dag.tasks.rollout-0.inputs.parameters." + PLANNED;
        assertThat(broken(s -> planned(s).put("producerTask", "shard-plan-shards")))
                .contains(at + ".taskOutputParameter.producerTask: no task 'shard-plan-shards' in this DAG");
        assertThat(broken(s -> ((ObjectNode) s.path("root").path("dag").path("tasks")).remove("shard-plan-num-shards")))
                .contains(at + ".taskOutputParameter.producerTask: no task 'shard-plan-num-shards' in this DAG");
        assertThat(broken(s -> planned(s).put("outputParameterKey", "indices")))
                .contains(at + ".taskOutputParameter: task shard-plan-num-shards has no output parameter 'indices'");
        assertThat(broken(s -> ((ObjectNode) s.path("components").path("comp-shard-plan").path("outputDefinitions").path("parameters")
                .path("shard_indices")).put("parameterType", "STRING")))
                .contains(at + ".taskOutputParameter: shard-plan-num-shards.shard_indices is STRING but the input is LIST");
        assertThat(broken(s -> {
            ArrayNode deps = (ArrayNode) task(s, "rollout-0").path("dependentTasks");
            for (int i = deps.size() - 1; i >= 0; i--) {
                if (deps.get(i).asText().equals("shard-plan-num-shards")) {
                    deps.remove(i);
                }
            }
        })).contains(at + ".taskOutputParameter: reads task shard-plan-num-shards, which dependentTasks does not list");
    }

    @Test
    void aParallelForIteratesOverAListItGivesIntoAnItemItsComponentDeclares() {
        assertThat(broken(s -> ((ObjectNode) task(s, "rollout-0").path("inputs").path("parameters")).remove(PLANNED)))
                .contains("root.dag.tasks.rollout-0.parameterIterator.items.inputParameter: the task gives no input parameter "
                        + "'" + PLANNED + "'");
        assertThat(broken(s -> iterator(s).put("itemInput", "pipelinechannel--item")))
                .contains("root.dag.tasks.rollout-0.parameterIterator.itemInput: the loop component declares no input parameter "
                        + "'pipelinechannel--item'; it has [pipelinechannel--max_new_tokens, pipelinechannel--num_shards, "
                        + "pipelinechannel--rollout-0-loop-item, pipelinechannel--samples_per_prompt, pipelinechannel--seed, "
                        + "pipelinechannel--shard-plan-num-shards-shard_indices, pipelinechannel--temperature]");
        assertThat(broken(s -> ((ObjectNode) iterator(s).path("items")).put("raw", "3").remove("inputParameter")))
                .containsExactly("root.dag.tasks.rollout-0.parameterIterator.items.raw: expected a JSON list, found \"3\"");
        assertThat(broken(s -> ((ObjectNode) iterator(s).path("items")).put("raw", "[0, 1]")))
                .containsExactly("root.dag.tasks.rollout-0.parameterIterator.items: expected exactly one of raw and inputParameter");
        assertThat(broken(s -> iterator(s).put("parallelism", 2)))
                .singleElement().asString().startsWith("root.dag.tasks.rollout-0.parameterIterator.parallelism: unknown field");
        assertThat(broken(s -> task(s, "reference-0").putObject("parameterIterator").put("itemInput", "x")))
                .contains("root.dag.tasks.reference-0.parameterIterator: a loop runs a DAG component, but comp-reference has none");
    }

    @Test
    void aCollectedOutputIsAListAndOnlyAListInputTakesIt() {
        assertThat(broken(s -> ((ObjectNode) s.path("components").path("comp-merge-rollout").path("inputDefinitions").path("artifacts")
                .path("rollouts")).remove("isArtifactList")))
                .contains("root.dag.tasks.merge-rollout-0.inputs.artifacts.rollouts.taskOutputArtifact: rollout-0.pipelinechannel--rollout-0-rollout "
                        + "is a list of artifacts (a ParallelFor's collected output) but the input is not (isArtifactList)");
        assertThat(broken(s -> ((ObjectNode) task(s, "reference-0").path("inputs").path("artifacts").path("rollout").path("taskOutputArtifact"))
                .put("producerTask", "rollout-0").put("outputArtifactKey", "pipelinechannel--rollout-0-rollout")))
                .contains("root.dag.tasks.reference-0.inputs.artifacts.rollout.taskOutputArtifact: rollout-0.pipelinechannel--rollout-0-rollout "
                        + "is a list of artifacts (a ParallelFor's collected output) but the input is not (isArtifactList)");
        int next = args(SPEC.deepCopy(), "exec-merge-rollout").size();
        assertThat(broken(s -> args(s, "exec-merge-rollout").add("{{$.inputs.artifacts['rollouts'].path}}")))
                .containsExactly("deploymentSpec.executors.exec-merge-rollout.container.args[" + next + "]: {{$.inputs.artifacts['rollouts'].path}}: "
                        + "rollouts is a list of artifacts, which has no one path; the step reads the list from the executor input ({{$}})");
        assertThat(broken(s -> ((ObjectNode) s.path("components").path("comp-for-loop-rollout-0").path("dag").path("outputs").path("artifacts")
                .path("pipelinechannel--rollout-0-rollout").path("artifactSelectors").get(0)).put("producerSubtask", "rollout-0")))
                .containsExactly("components.comp-for-loop-rollout-0.dag.outputs.artifacts.pipelinechannel--rollout-0-rollout.artifactSelectors: "
                        + "no task 'rollout-0' in this DAG");
        assertThat(broken(s -> ((ObjectNode) s.path("components").path("comp-for-loop-rollout-0").path("dag").path("outputs").path("artifacts")
                .path("pipelinechannel--rollout-0-rollout").path("artifactSelectors").get(0)).put("outputArtifactKey", "rollouts")))
                .containsExactly("components.comp-for-loop-rollout-0.dag.outputs.artifacts.pipelinechannel--rollout-0-rollout.artifactSelectors: "
                        + "task rollout-0-shard has no output artifact 'rollouts'");
    }

    @Test
    void aLoopBodyIsCheckedLikeAnyDag() {
        // reward reads rollout's shard inside the loop, so it must wait for it there.
        assertThat(broken(s -> ((ObjectNode) s.path("components").path("comp-for-loop-rollout-0").path("dag").path("tasks")
                .path("reward-0-shard")).remove("dependentTasks")))
                .containsExactly("components.comp-for-loop-rollout-0.dag.tasks.reward-0-shard.inputs.artifacts.rollout.taskOutputArtifact: "
                        + "reads task rollout-0-shard, which dependentTasks does not list");
        // The root DAG knows the loop, not the tasks inside it.
        assertThat(broken(s -> ((ObjectNode) task(s, "merge-scores-0").path("inputs").path("artifacts").path("shard_scores")
                .path("taskOutputArtifact")).put("producerTask", "reward-0")))
                .anySatisfy(p -> assertThat(p).startsWith("root.dag.tasks.merge-scores-0.inputs.artifacts.shard_scores.taskOutputArtifact"));
    }

    @Test
    void pipelineOutputsMustSelectADeclaredOutputOfTheSameType() {
        assertThat(broken(s -> sel(s, "kl").put("producerSubtask", "reference-2")))
                .containsExactly("root.dag.outputs.parameters.kl.valueFromParameter: task reference-2 has no output parameter 'kl'");
        assertThat(broken(s -> sel(s, "kl").put("producerSubtask", "merge-rollout-2").put("outputParameterKey", "num_samples")))
                .containsExactly("root.dag.outputs.parameters.kl: declared NUMBER_DOUBLE but task merge-rollout-2 outputs NUMBER_INTEGER");
    }

    private static ObjectNode sel(ObjectNode spec, String output) {
        return (ObjectNode) spec.path("root").path("dag").path("outputs").path("parameters").path(output).path("valueFromParameter");
    }

    @Test
    void importersMustImportWhatTheirComponentOutputs() {
        assertThat(broken(s -> ((ObjectNode) s.path("deploymentSpec").path("executors").path("exec-importer-prompts").path("importer")
                .path("typeSchema")).put("schemaTitle", "system.Model")))
                .containsExactly("deploymentSpec.executors.exec-importer-prompts.importer.typeSchema.schemaTitle: imports system.Model but the "
                        + "component outputs system.Dataset");
    }

    @Test
    void artifactTypesMustBeOnesKfpKnows() {
        // KFP would store a misspelt system type as a new type, and its UI would show nothing for it.
        assertThat(broken(s -> artifactType(s, "comp-ppo-update", "outputDefinitions", "metrics").put("schemaTitle", "system.Metric")))
                .containsExactly("components.comp-ppo-update.outputDefinitions.artifacts.metrics.artifactType.schemaTitle: KFP has no artifact "
                        + "type system.Metric; its system types are [system.Artifact, system.ClassificationMetrics, system.Dataset, system.HTML, "
                        + "system.Markdown, system.Metrics, system.Model, system.SlicedClassificationMetrics]");
        assertThat(broken(s -> artifactType(s, "comp-reward", "inputDefinitions", "rollout").remove("schemaTitle")))
                .contains("components.comp-reward.inputDefinitions.artifacts.rollout.artifactType: expected a schemaTitle like system.Dataset, "
                        + "found none");
        // A type of one's own, outside system.*, is KFP's to accept.
        assertThat(broken(s -> artifactType(s, "comp-ppo-update", "outputDefinitions", "metrics").put("schemaTitle", "tether.Metrics")))
                .isEmpty();
    }

    private static ObjectNode artifactType(ObjectNode spec, String component, String side, String artifact) {
        return (ObjectNode) spec.path("components").path(component).path(side).path("artifacts").path(artifact).path("artifactType");
    }

    private static ArrayNode args(ObjectNode spec, String executor) {
        return (ArrayNode) spec.path("deploymentSpec").path("executors").path(executor).path("container").path("args");
    }
}
