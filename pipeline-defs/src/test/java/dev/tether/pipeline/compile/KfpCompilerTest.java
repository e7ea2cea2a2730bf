package dev.tether.pipeline.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.pipeline.ArtifactSource;
import dev.tether.pipeline.ParameterSource;
import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.PipelineBuilder;
import dev.tether.pipeline.TaskBuilder;
import dev.tether.pipeline.defs.DemoPipeline;
import dev.tether.pipeline.defs.RlhfPpoPipeline;
import dev.tether.pipeline.toy.AddStep;
import dev.tether.pipeline.toy.MakeNumbersStep;
import dev.tether.pipeline.toy.SumStep;
import dev.tether.pipeline.toy.ToyPipeline;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import dev.tether.step.Resources;
import dev.tether.step.StepDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The KFP v2 IR of the product pipeline and the toy pipeline, field by field where it matters. */
class KfpCompilerTest {
    static final Pipeline RLHF = new RlhfPpoPipeline(3, 2).pipeline();
    static final Pipeline TOY = new ToyPipeline().pipeline();
    static final Pipeline DEMO = new DemoPipeline(DemoPipeline.Profile.QUICK).pipeline();
    final KfpCompiler compiler = new KfpCompiler(CompileSettings.defaults().withRegistry("registry.test/t").withTag("1.2.3"));

    @Test
    void rlhfHasOneComponentPerStepPlusAnImporterPerInput() {
        JsonNode spec = compiler.compile(RLHF);
        assertThat(names(spec.path("components"))).containsExactly("comp-for-loop-rollout-0", "comp-for-loop-rollout-1",
                "comp-for-loop-rollout-2", "comp-importer-policy", "comp-importer-prompts", "comp-importer-reference-policy",
                "comp-importer-reward-model", "comp-merge-rollout", "comp-merge-scores", "comp-ppo-update", "comp-reference", "comp-reward", "comp-rollout",
                "comp-shard-plan");
        assertThat(spec.path("schemaVersion").asText()).isEqualTo("2.1.0");
        assertThat(spec.path("pipelineInfo").path("name").asText()).isEqualTo("rlhf-ppo");
        // 3 iterations × (rollout-and-reward loop + two merges + reference + update) + 4 importers + the shard plan:
        // the shard count is the run's
        assertThat(spec.path("root").path("dag").path("tasks").size()).isEqualTo(3 * 5 + 4 + 1);
        assertThat(KfpSpecCheck.problems(spec)).isEmpty();
    }

    @Test
    void containersRunTheImageCommandWithTheStepsOwnOptions() {
        JsonNode exec = compiler.compile(RLHF).path("deploymentSpec").path("executors");
        JsonNode rollout = exec.path("exec-rollout").path("container");
        assertThat(rollout.path("image").asText()).isEqualTo("registry.test/t/tether-rollout:1.2.3");
        assertThat(strings(rollout.path("command"))).isEqualTo(ImageContract.COMMAND);
        List<String> args = strings(rollout.path("args"));
        assertThat(args).containsSequence("--policy", "{{$.inputs.artifacts['policy'].path}}")
                .containsSequence("--rollout", "{{$.outputs.artifacts['rollout'].path}}")
                .containsSequence("--temperature", "{{$.inputs.parameters['temperature']}}")
                .endsWith("--kfp-executor-input", "{{$}}");
        // merge-rollout lives in the rollout image, which takes the step's name first.
        JsonNode merge = exec.path("exec-merge-rollout").path("container");
        assertThat(merge.path("image").asText()).isEqualTo("registry.test/t/tether-rollout:1.2.3");
        // Its input is a list of artifacts, which has no one path: the step reads it from the executor input.
        assertThat(strings(merge.path("args"))).startsWith("merge-rollout", "--rollout", "{{$.outputs.artifacts['rollout'].path}}")
                .doesNotContain("--rollouts").endsWith("--kfp-executor-input", "{{$}}");
        JsonNode res = exec.path("exec-ppo-update").path("container").path("resources");
        assertThat(res.path("resourceMemoryLimit").asText()).isEqualTo("4Gi");
        assertThat(res.path("resourceCpuRequest").asText()).isEqualTo("2");
        assertThat(res.path("memoryLimit").asDouble()).isEqualTo(4.294967296);
        assertThat(res.path("cpuLimit").asDouble()).isEqualTo(2.0);
    }

    @Test
    void componentsDeclareTheStepSignatureWithTypedDefaultsAndMetrics() {
        JsonNode ppo = compiler.compile(RLHF).path("components").path("comp-ppo-update");
        JsonNode params = ppo.path("inputDefinitions").path("parameters");
        assertThat(params.path("learning_rate").path("parameterType").asText()).isEqualTo("NUMBER_DOUBLE");
        assertThat(params.path("learning_rate").path("defaultValue").isNumber()).isTrue();
        assertThat(params.path("learning_rate").path("defaultValue").asDouble()).isEqualTo(1e-5);
        assertThat(params.path("ppo_epochs").path("defaultValue").isIntegralNumber()).isTrue();
        assertThat(params.path("ppo_epochs").path("defaultValue").asInt()).isEqualTo(4);
        assertThat(params.path("kl_controller").path("defaultValue").asText()).isEqualTo("adaptive");
        assertThat(params.path("kl_controller").path("description").asText()).endsWith("One of: fixed, adaptive.");
        assertThat(params.path("kl_controller").path("isOptional").asBoolean()).isTrue();
        JsonNode outs = ppo.path("outputDefinitions");
        assertThat(outs.path("artifacts").path("metrics").path("artifactType").path("schemaTitle").asText()).isEqualTo("system.Metrics");
        assertThat(outs.path("artifacts").path("updated_policy").path("artifactType").path("schemaTitle").asText()).isEqualTo("system.Model");
        assertThat(names(outs.path("parameters"))).containsExactly("beta", "kl", "reward");
        assertThat(outs.path("parameters").path("kl").path("parameterType").asText()).isEqualTo("NUMBER_DOUBLE");
        // reward does not report metrics, so it has no metrics output to fill.
        assertThat(compiler.compile(RLHF).path("components").path("comp-reward").path("outputDefinitions").path("artifacts").has("metrics"))
                .isFalse();
    }

    @Test
    void evaluateAndCompareDeclareTheirReportsAsHtmlAndMarkdownOutputs() {
        JsonNode spec = compiler.compile(DEMO);
        assertThat(KfpSpecCheck.problems(spec)).isEmpty();
        for (String comp : List.of("comp-evaluate", "comp-evaluate-2", "comp-compare")) {
            JsonNode arts = spec.path("components").path(comp).path("outputDefinitions").path("artifacts");
            assertThat(arts.path("report_html").path("artifactType").path("schemaTitle").asText()).as(comp).isEqualTo("system.HTML");
            assertThat(arts.path("report_html").path("artifactType").path("schemaVersion").asText()).as(comp).isEqualTo("0.0.1");
            assertThat(arts.path("report_md").path("artifactType").path("schemaTitle").asText()).as(comp).isEqualTo("system.Markdown");
        }
        assertThat(spec.path("components").path("comp-compare").path("outputDefinitions").path("artifacts").path("report_html")
                .path("description").asText()).isEqualTo("report.html of output report, shown in the KFP UI.");
        assertThat(names(spec.path("components").path("comp-evaluate").path("outputDefinitions").path("artifacts")))
                .containsExactlyInAnyOrder("evaluation", "metrics", "report_html", "report_md");
        // The step finds the reports' paths in {{$}}; no option of its command line names them.
        assertThat(strings(spec.path("deploymentSpec").path("executors").path("exec-compare").path("container").path("args")))
                .noneMatch(a -> a.contains("report_html") || a.contains("report_md"))
                .endsWith("--kfp-executor-input", "{{$}}");
        // Steps without reports declare none.
        assertThat(names(spec.path("components").path("comp-sft").path("outputDefinitions").path("artifacts"))).doesNotContain("report_html");
    }

    @Test
    void pipelineInputsComeFromImportersOfUriParameters() {
        JsonNode spec = compiler.compile(RLHF);
        JsonNode rootParams = spec.path("root").path("inputDefinitions").path("parameters");
        assertThat(rootParams.path("policy_uri").path("parameterType").asText()).isEqualTo("STRING");
        assertThat(rootParams.path("policy_uri").has("defaultValue")).isFalse();
        assertThat(rootParams.path("policy_uri").has("isOptional")).isFalse();
        assertThat(rootParams.path("kl_target").path("defaultValue").asDouble()).isEqualTo(6.0);
        JsonNode importer = spec.path("deploymentSpec").path("executors").path("exec-importer-reward-model").path("importer");
        assertThat(importer.path("artifactUri").path("runtimeParameter").asText()).isEqualTo("uri");
        assertThat(importer.path("typeSchema").path("schemaTitle").asText()).isEqualTo("system.Model");
        JsonNode tasks = spec.path("root").path("dag").path("tasks");
        assertThat(tasks.path("importer-reward-model").path("inputs").path("parameters").path("uri").path("componentInputParameter").asText())
                .isEqualTo("reward_model_uri");
        JsonNode first = tasks.path("ppo-update-0");
        assertThat(first.path("inputs").path("artifacts").path("policy").path("taskOutputArtifact").path("producerTask").asText())
                .isEqualTo("importer-policy");
        assertThat(strings(first.path("dependentTasks"))).containsExactly("importer-policy", "merge-rollout-0", "merge-scores-0", "reference-0");
        // later iterations train the policy the previous update wrote
        JsonNode second = tasks.path("ppo-update-1").path("inputs").path("artifacts").path("policy").path("taskOutputArtifact");
        assertThat(second.path("producerTask").asText()).isEqualTo("ppo-update-0");
        assertThat(second.path("outputArtifactKey").asText()).isEqualTo("updated_policy");
    }

    @Test
    void aFanOutIsAParallelForOverTheShardIndicesCollectedIntoTheMerge() {
        JsonNode spec = compiler.compile(RLHF);
        JsonNode root = spec.path("root");
        JsonNode tasks = root.path("dag").path("tasks");
        // KFP loops over a list: a shard-plan task turns num_shards into it; the run sets num_shards alone.
        assertThat(root.path("inputDefinitions").path("parameters").has("shard_indices")).isFalse();
        assertThat(root.path("inputDefinitions").path("parameters").path("num_shards").path("defaultValue").asInt()).isEqualTo(2);
        JsonNode plan = tasks.path("shard-plan-num-shards");
        assertThat(plan.path("componentRef").path("name").asText()).isEqualTo("comp-shard-plan");
        assertThat(plan.path("cachingOptions").path("enableCache").asBoolean()).isTrue();
        assertThat(plan.path("inputs").path("parameters").path("num_shards").path("componentInputParameter").asText()).isEqualTo("num_shards");
        assertThat(plan.has("dependentTasks")).isFalse();
        JsonNode planComp = spec.path("components").path("comp-shard-plan");
        assertThat(planComp.path("inputDefinitions").path("parameters").path("num_shards").path("parameterType").asText()).isEqualTo("NUMBER_INTEGER");
        assertThat(planComp.path("outputDefinitions").path("parameters").path("shard_indices").path("parameterType").asText()).isEqualTo("LIST");
        JsonNode planExec = spec.path("deploymentSpec").path("executors").path("exec-shard-plan").path("container");
        assertThat(planExec.path("image").asText()).contains("tether-rollout:");
        assertThat(strings(planExec.path("args"))).startsWith("shard-plan", "--num_shards", "{{$.inputs.parameters['num_shards']}}");
        // one plan for every loop over num_shards
        assertThat(tasks.properties().stream().map(Map.Entry::getKey).filter(t -> t.startsWith("shard-plan"))).containsExactly("shard-plan-num-shards");

        JsonNode loop = tasks.path("rollout-2");
        assertThat(loop.path("componentRef").path("name").asText()).isEqualTo("comp-for-loop-rollout-2");
        String channel = "pipelinechannel--shard-plan-num-shards-shard_indices";
        assertThat(loop.path("parameterIterator").path("items").path("inputParameter").asText()).isEqualTo(channel);
        assertThat(loop.path("parameterIterator").path("itemInput").asText()).isEqualTo("pipelinechannel--rollout-2-loop-item");
        JsonNode from = loop.path("inputs").path("parameters").path(channel).path("taskOutputParameter");
        assertThat(from.path("producerTask").asText()).isEqualTo("shard-plan-num-shards");
        assertThat(from.path("outputParameterKey").asText()).isEqualTo("shard_indices");
        assertThat(spec.path("components").path("comp-for-loop-rollout-2").path("inputDefinitions").path("parameters").path(channel)
                .path("parameterType").asText()).isEqualTo("LIST");
        assertThat(loop.path("inputs").path("artifacts").path("pipelinechannel--ppo-update-1-updated_policy").path("taskOutputArtifact")
                .path("producerTask").asText()).isEqualTo("ppo-update-1");
        assertThat(strings(loop.path("dependentTasks"))).containsExactly("importer-prompts", "importer-reward-model", "ppo-update-1",
                "shard-plan-num-shards");

        JsonNode comp = spec.path("components").path("comp-for-loop-rollout-2");
        JsonNode shard = comp.path("dag").path("tasks").path("rollout-2-shard");
        assertThat(shard.path("componentRef").path("name").asText()).isEqualTo("comp-rollout");
        JsonNode params = shard.path("inputs").path("parameters");
        assertThat(params.path("shard_index").path("componentInputParameter").asText()).isEqualTo("pipelinechannel--rollout-2-loop-item");
        assertThat(params.path("num_shards").path("componentInputParameter").asText()).isEqualTo("pipelinechannel--num_shards");
        assertThat(params.path("iteration").path("runtimeValue").path("constant").isIntegralNumber()).isTrue();
        assertThat(shard.path("inputs").path("artifacts").path("policy").path("componentInputArtifact").asText())
                .isEqualTo("pipelinechannel--ppo-update-1-updated_policy");
        assertThat(shard.path("cachingOptions").path("enableCache").asBoolean()).isFalse();
        JsonNode collected = comp.path("outputDefinitions").path("artifacts").path("pipelinechannel--rollout-2-rollout");
        assertThat(collected.path("isArtifactList").asBoolean()).isTrue();
        JsonNode selector = comp.path("dag").path("outputs").path("artifacts").path("pipelinechannel--rollout-2-rollout").path("artifactSelectors").get(0);
        assertThat(selector.path("producerSubtask").asText()).isEqualTo("rollout-2-shard");
        assertThat(selector.path("outputArtifactKey").asText()).isEqualTo("rollout");

        JsonNode merge = tasks.path("merge-rollout-2");
        assertThat(merge.path("inputs").path("artifacts").path("rollouts").path("taskOutputArtifact").path("outputArtifactKey").asText())
                .isEqualTo("pipelinechannel--rollout-2-rollout");
        assertThat(strings(merge.path("dependentTasks"))).containsExactly("rollout-2");
        assertThat(spec.path("components").path("comp-merge-rollout").path("inputDefinitions").path("artifacts").path("rollouts")
                .path("isArtifactList").asBoolean()).isTrue();
        // Reward scores each shard inside the loop, reading the rollout of its own shard; the merge
        // of its scores waits for the loop, the task that stands for every task in it.
        assertThat(tasks.has("reward-2")).isFalse();
        JsonNode reward = comp.path("dag").path("tasks").path("reward-2-shard");
        assertThat(reward.path("inputs").path("artifacts").path("rollout").path("taskOutputArtifact").path("producerTask").asText())
                .isEqualTo("rollout-2-shard");
        assertThat(strings(reward.path("dependentTasks"))).containsExactly("rollout-2-shard");
        assertThat(reward.path("inputs").path("artifacts").path("reward_model").path("componentInputArtifact").asText())
                .isEqualTo("pipelinechannel--importer-reward-model-artifact");
        assertThat(reward.path("inputs").path("parameters").path("shard_index").path("componentInputParameter").asText())
                .isEqualTo("pipelinechannel--rollout-2-loop-item");
        assertThat(reward.path("cachingOptions").path("enableCache").asBoolean()).isTrue();
        assertThat(reward.path("retryPolicy").path("maxRetryCount").asInt()).isEqualTo(2);
        assertThat(comp.path("outputDefinitions").path("artifacts").path("pipelinechannel--reward-2-scores").path("isArtifactList").asBoolean())
                .isTrue();
        JsonNode mergeScores = tasks.path("merge-scores-2");
        JsonNode shardScores = mergeScores.path("inputs").path("artifacts").path("shard_scores").path("taskOutputArtifact");
        assertThat(shardScores.path("producerTask").asText()).isEqualTo("rollout-2");
        assertThat(shardScores.path("outputArtifactKey").asText()).isEqualTo("pipelinechannel--reward-2-scores");
        assertThat(strings(mergeScores.path("dependentTasks"))).containsExactly("merge-rollout-2", "rollout-2");
        assertThat(KfpSpecCheck.problems(spec)).isEmpty();
    }

    @Test
    void aTwoTaskLoopBodyIsOneParallelForWithBothTasksCollected() {
        JsonNode spec = compiler.compile(ToyPipeline.twoStepBody());
        assertThat(KfpSpecCheck.problems(spec)).isEmpty();
        JsonNode tasks = spec.path("root").path("dag").path("tasks");
        assertThat(names(tasks)).containsExactlyInAnyOrder("make-numbers", "shard-plan-shards", "add", "merge-added", "merge-scaled");
        JsonNode loop = spec.path("components").path("comp-for-loop-add");
        assertThat(names(loop.path("dag").path("tasks"))).containsExactlyInAnyOrder("add-shard", "scale-shard");
        assertThat(loop.path("dag").path("tasks").path("scale-shard").path("inputs").path("parameters").path("shard_index")
                .path("componentInputParameter").asText()).isEqualTo("pipelinechannel--add-loop-item");
        assertThat(names(loop.path("outputDefinitions").path("artifacts")))
                .containsExactlyInAnyOrder("pipelinechannel--add-sums", "pipelinechannel--scale-scaled");
        JsonNode merge = tasks.path("merge-scaled");
        assertThat(merge.path("inputs").path("artifacts").path("parts").path("taskOutputArtifact").path("producerTask").asText()).isEqualTo("add");
        assertThat(strings(merge.path("dependentTasks"))).containsExactly("add");
    }

    @Test
    void aConstantShardCountIsARawListOfIndices() {
        PipelineBuilder p = Pipeline.builder("fixed");
        p.task("make", MakeNumbersStep.DEF).set("count", 6);
        TaskBuilder add = p.fanOut("add", AddStep.DEF, ParameterSource.constant(3), t -> t.input("numbers", "make", "numbers"));
        p.task("merge", SumStep.DEF).input("parts", add.shards("sums"));
        JsonNode spec = compiler.compile(p.build());
        assertThat(KfpSpecCheck.problems(spec)).isEmpty();
        JsonNode loop = spec.path("root").path("dag").path("tasks").path("add");
        assertThat(loop.path("parameterIterator").path("items").path("raw").asText()).isEqualTo("[0,1,2]");
        assertThat(spec.path("root").path("inputDefinitions").path("parameters").has("shard_indices")).isFalse();
        // a constant count needs no plan
        assertThat(spec.path("root").path("dag").path("tasks").properties()).noneMatch(t -> t.getKey().startsWith("shard-plan"));
        assertThat(spec.path("components").has("comp-shard-plan")).isFalse();
    }

    @Test
    void theRunsKlRewardAndBetaAreOutputsOfTheFinalUpdate() {
        JsonNode root = compiler.compile(RLHF).path("root");
        for (String name : List.of("kl", "reward", "beta")) {
            JsonNode sel = root.path("dag").path("outputs").path("parameters").path(name).path("valueFromParameter");
            assertThat(sel.path("producerSubtask").asText()).isEqualTo("ppo-update-2");
            assertThat(sel.path("outputParameterKey").asText()).isEqualTo(name);
            assertThat(root.path("outputDefinitions").path("parameters").path(name).path("parameterType").asText()).isEqualTo("NUMBER_DOUBLE");
        }
        // the toy pipeline reports no β: no run outputs
        assertThat(compiler.compile(TOY).path("root").has("outputDefinitions")).isFalse();
    }

    @Test
    void toyWiresOutputParametersAndGivesTheFannedOutStepItsOwnComponent() {
        JsonNode spec = compiler.compile(TOY);
        assertThat(KfpSpecCheck.problems(spec)).isEmpty();
        JsonNode tasks = spec.path("root").path("dag").path("tasks");
        JsonNode amount = tasks.path("iter-1").path("inputs").path("parameters").path("amount").path("taskOutputParameter");
        assertThat(amount.path("producerTask").asText()).isEqualTo("iter-0");
        assertThat(amount.path("outputParameterKey").asText()).isEqualTo("max");
        assertThat(strings(tasks.path("iter-1").path("dependentTasks"))).contains("iter-0");
        // add's shards and the iterations run one step: the loop's component, and one for the tasks that run once.
        assertThat(spec.path("components").path("comp-for-loop-add").path("dag").path("tasks").path("add-shard").path("componentRef")
                .path("name").asText()).isEqualTo("comp-add");
        assertThat(tasks.path("iter-0").path("componentRef").path("name").asText()).isEqualTo("comp-add-2");
        assertThat(spec.path("root").path("dag").path("tasks").has("shard-plan-shards")).isTrue();
        assertThat(spec.path("root").path("inputDefinitions").path("parameters").has("shard_indices")).isFalse();
        assertThat(tasks.path("total").path("inputs").path("parameters").path("scale").path("runtimeValue").path("constant").asDouble())
                .isEqualTo(2.0);
    }

    @Test
    void yamlReadsBackAsTheSameSpecAndIsStable() {
        String yaml = compiler.yaml(RLHF);
        assertThat(sameTree(Yaml.readOne(yaml), compiler.compile(RLHF))).isTrue();
        assertThat(compiler.yaml(new RlhfPpoPipeline(3, 2).pipeline())).isEqualTo(yaml);
        assertThat(KfpSpecCheck.problems(yaml)).isEmpty();
        assertThat(yaml).startsWith("# Kubeflow Pipelines v2 IR of pipeline rlhf-ppo");
        // a decimal default stays a plain number for every YAML reader
        assertThat(yaml).contains("defaultValue: 0.00001").doesNotContain("E-5");
    }

    @Test
    void acceleratorsAreRequestedByResourceType() {
        StepDefinition gpu = StepDefinition.builder("train")
                .output(ArtifactPort.of("model", "test.model", ArtifactKind.MODEL, "A model."))
                .parameter(ParameterSpec.required("steps", ParamType.INT, "How many steps."))
                .resources(new Resources("4", "16Gi", "nvidia.com/gpu", 1))
                .build();
        Pipeline p = pipelineOf(gpu);
        JsonNode res = compiler.compile(p).path("deploymentSpec").path("executors").path("exec-train").path("container").path("resources");
        assertThat(res.path("accelerator").path("resourceType").asText()).isEqualTo("nvidia.com/gpu");
        assertThat(res.path("accelerator").path("resourceCount").asText()).isEqualTo("1");
        assertThat(res.path("memoryLimit").asDouble()).isEqualTo(17.179869184);
        // a required step parameter has no default and is not optional, so the task must give it
        JsonNode steps = compiler.compile(p).path("components").path("comp-train").path("inputDefinitions").path("parameters").path("steps");
        assertThat(steps.has("defaultValue")).isFalse();
        assertThat(steps.has("isOptional")).isFalse();
    }

    @Test
    void aTaskNamedLikeAnImporterIsRefused() {
        ArtifactPort prompts = ArtifactPort.of("prompts", "test.prompts", ArtifactKind.DATASET, "Prompts.");
        StepDefinition read = StepDefinition.builder("read").input(prompts).build();
        PipelineBuilder b = Pipeline.builder("clash").input(prompts);
        b.task("importer-prompts", read).input("prompts", ArtifactSource.pipelineInput("prompts"));
        assertThatThrownBy(() -> compiler.compile(b.build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task importer-prompts clashes with the importer of input prompts");
    }

    @Test
    void anOptionalPipelineInputIsRefusedByBothCompilers() {
        ArtifactPort prompts = ArtifactPort.of("prompts", "test.prompts", ArtifactKind.DATASET, "Prompts.").asOptional();
        StepDefinition read = StepDefinition.builder("read").input(prompts).build();
        PipelineBuilder b = Pipeline.builder("maybe").input(prompts);
        b.task("read", read).input("prompts", ArtifactSource.pipelineInput("prompts"));
        Pipeline p = b.build();
        assertThatThrownBy(() -> compiler.compile(p)).hasMessageContaining("pipeline maybe: input prompts is optional");
        assertThatThrownBy(() -> new ArgoCompiler(CompileSettings.defaults()).workflowTemplate(p))
                .hasMessageContaining("pipeline maybe: input prompts is optional");
    }

    static final StepDefinition JUDGE = StepDefinition.builder("judge")
            .output(ArtifactPort.of("verdict", "test.verdict", ArtifactKind.DATASET, "The verdict."))
            .outputParameter("score", ParamType.DOUBLE, "Always reported.")
            .optionalOutputParameter("gold", ParamType.DOUBLE, "Reported only with a gold scorer.")
            .build();
    static final StepDefinition USE = StepDefinition.builder("use")
            .parameter(ParameterSpec.optional("x", ParamType.DOUBLE, "0", "A number."))
            .build();

    /** judge, and use reading judge's {@code output} parameter. */
    static Pipeline judged(String output) {
        PipelineBuilder b = Pipeline.builder("judged");
        var judge = b.task("judge", JUDGE);
        b.task("use", USE).parameter("x", judge.outputParameter(output));
        return b.build();
    }

    @Test
    void anOptionalOutputParameterIsLeftOutAndCannotBeRead() {
        JsonNode outs = compiler.compile(judged("score")).path("components").path("comp-judge").path("outputDefinitions").path("parameters");
        assertThat(names(outs)).containsExactly("score");
        assertThat(KfpSpecCheck.problems(compiler.compile(judged("score")))).isEmpty();
        assertThatThrownBy(() -> compiler.compile(judged("gold"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task use: parameter x reads judge.gold, which the step reports only sometimes");
    }

    static Pipeline pipelineOf(StepDefinition step) {
        var b = Pipeline.builder("one-step");
        var t = b.task(step.name(), step);
        step.parameters().stream().filter(ParameterSpec::isRequired).forEach(sp -> t.set(sp.name(), 1));
        return b.build();
    }

    /** Equal trees, numbers compared by value (YAML reads 65532 back as an int, 0.00001 as a double). */
    static boolean sameTree(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> x.isNumber() && y.isNumber() ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1, b);
    }

    static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
