package dev.tether.pipeline.compile;

import static dev.tether.pipeline.compile.KfpCompilerTest.RLHF;
import static dev.tether.pipeline.compile.KfpCompilerTest.TOY;
import static dev.tether.pipeline.compile.KfpCompilerTest.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.pipeline.toy.ToyPipeline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Argo WorkflowTemplate and CronWorkflow of the product pipeline and the toy pipeline. */
class ArgoCompilerTest {
    final ArgoCompiler compiler = new ArgoCompiler(CompileSettings.defaults().withRegistry("registry.test/t").withTag("1.2.3"));

    static JsonNode template(JsonNode doc, String name) {
        for (JsonNode t : doc.path("spec").path("templates")) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no template " + name);
    }

    static JsonNode task(JsonNode doc, String name) {
        for (JsonNode t : template(doc, doc.path("spec").path("entrypoint").asText()).path("dag").path("tasks")) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no task " + name);
    }

    static JsonNode named(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("nothing named " + name + " in " + list);
    }

    @Test
    void oneDagAndOneContainerTemplatePerStep() {
        JsonNode wt = compiler.workflowTemplate(RLHF);
        assertThat(wt.path("kind").asText()).isEqualTo("WorkflowTemplate");
        assertThat(wt.path("spec").path("entrypoint").asText()).isEqualTo("rlhf-ppo");
        List<String> names = new ArrayList<>();
        wt.path("spec").path("templates").forEach(t -> names.add(t.path("name").asText()));
        assertThat(names).containsExactly("rlhf-ppo", "rollout", "reward", "merge-rollout", "merge-scores", "reference", "ppo-update");
        assertThat(template(wt, "rlhf-ppo").path("dag").path("tasks").size()).isEqualTo(3 * 6);
        assertThat(ArgoSpecCheck.problems(List.of(wt, compiler.cronWorkflow(RLHF)))).isEmpty();
    }

    @Test
    void containerTemplatesReadAndWriteArtifactsAndParameterFiles() {
        JsonNode rollout = template(compiler.workflowTemplate(RLHF), "rollout");
        assertThat(named(rollout.path("inputs").path("artifacts"), "policy").path("path").asText()).isEqualTo("/tmp/tether/inputs/policy");
        assertThat(named(rollout.path("outputs").path("artifacts"), "rollout").path("path").asText()).isEqualTo("/tmp/tether/outputs/rollout");
        assertThat(named(rollout.path("outputs").path("parameters"), "num_samples").path("valueFrom").path("path").asText())
                .isEqualTo("/tmp/tether/parameters/num_samples");
        assertThat(named(rollout.path("inputs").path("parameters"), "temperature").path("default").asText()).isEqualTo("1.0");
        JsonNode c = rollout.path("container");
        assertThat(c.path("image").asText()).isEqualTo("registry.test/t/tether-rollout:1.2.3");
        assertThat(strings(c.path("command"))).isEqualTo(ImageContract.COMMAND);
        assertThat(strings(c.path("args"))).containsSequence("--policy", "/tmp/tether/inputs/policy")
                .containsSequence("--temperature", "{{inputs.parameters.temperature}}")
                .endsWith("--argo-outputs", "/tmp/tether/parameters");
        assertThat(strings(template(compiler.workflowTemplate(RLHF), "merge-rollout").path("container").path("args")))
                .startsWith("merge-rollout", "--rollouts", "/tmp/tether/inputs/rollouts");
        // Each shard's output goes, unarchived, where the merge lists it: <workflow>/<task>/<output>/shard-<index>.
        JsonNode out = named(rollout.path("outputs").path("artifacts"), "rollout");
        assertThat(out.path("s3").path("key").asText())
                .isEqualTo("{{workflow.name}}/{{inputs.parameters.fan_out_task}}/rollout/shard-{{inputs.parameters.shard_index}}");
        assertThat(out.path("archive").has("none")).isTrue();
        assertThat(named(rollout.path("inputs").path("parameters"), "fan_out_task").has("default")).isFalse();
        // reference reports no output parameters, so it is not told where to write them
        assertThat(strings(template(compiler.workflowTemplate(RLHF), "reference").path("container").path("args"))).doesNotContain("--argo-outputs");
        assertThat(c.path("resources").path("requests").path("memory").asText()).isEqualTo("2Gi");
        assertThat(c.path("resources").path("limits").path("cpu").asText()).isEqualTo("2");
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyRootWithTmpWritable() {
        JsonNode wt = compiler.workflowTemplate(RLHF);
        JsonNode pod = wt.path("spec").path("securityContext");
        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("runAsUser").asLong()).isGreaterThan(0);
        JsonNode c = template(wt, "ppo-update").path("container");
        assertThat(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(strings(c.path("securityContext").path("capabilities").path("drop"))).containsExactly("ALL");
        assertThat(named(c.path("volumeMounts"), "tmp").path("mountPath").asText()).isEqualTo("/tmp");
        assertThat(named(wt.path("spec").path("volumes"), "tmp").has("emptyDir")).isTrue();
    }

    @Test
    void retriesSkipRefusalsAndGuards() {
        JsonNode retry = template(compiler.workflowTemplate(RLHF), "ppo-update").path("retryStrategy");
        assertThat(retry.path("limit").isTextual()).as("IntOrString fields are emitted as strings").isTrue();
        assertThat(retry.path("limit").asText()).isEqualTo("2");
        assertThat(retry.path("expression").asText()).contains("not in [2, 3]");
        assertThat(retry.path("backoff").path("factor").isTextual()).isTrue();
        JsonNode none = template(new ArgoCompiler(new CompileSettings("r.test", "1", ImageContract.COMMAND, "cm", "k", 0))
                .workflowTemplate(RLHF), "ppo-update");
        assertThat(none.has("retryStrategy")).isFalse();
    }

    @Test
    void artifactsLiveInTheReferencedRepositoryWithNoCredentialsInTheSpec() {
        JsonNode wt = compiler.workflowTemplate(RLHF);
        assertThat(wt.path("spec").path("artifactRepositoryRef").path("configMap").asText()).isEqualTo("artifact-repositories");
        assertThat(wt.path("spec").path("artifactRepositoryRef").path("key").asText()).isEqualTo("tether");
        assertThat(wt.toString()).doesNotContain("accessKeySecret", "secretKeySecret", "bucket", "endpoint");
        JsonNode policy = named(task(wt, "rollout-0").path("arguments").path("artifacts"), "policy");
        assertThat(policy.path("s3").path("key").asText()).isEqualTo("{{workflow.parameters.policy_key}}");
        assertThat(named(wt.path("spec").path("arguments").path("parameters"), "policy_key").has("value")).isFalse();
        JsonNode later = named(task(wt, "rollout-1").path("arguments").path("artifacts"), "policy");
        assertThat(later.path("from").asText()).isEqualTo("{{tasks.ppo-update-0.outputs.artifacts.updated_policy}}");
    }

    @Test
    void aTwoTaskLoopBodyIsTwoLoopsOverOneSequence() {
        JsonNode wt = compiler.workflowTemplate(ToyPipeline.twoStepBody());
        assertThat(ArgoSpecCheck.problems(List.of(wt))).isEmpty();
        JsonNode scale = task(wt, "scale");
        assertThat(scale.path("withSequence").path("count").asText()).isEqualTo("{{workflow.parameters.shards}}");
        assertThat(strings(scale.path("dependencies"))).containsExactly("add");
        assertThat(named(scale.path("arguments").path("artifacts"), "numbers").path("s3").path("key").asText())
                .isEqualTo("{{workflow.name}}/add/sums/shard-{{item}}");
    }

    @Test
    void tasksAreWiredWithDependenciesAndArguments() {
        JsonNode wt = compiler.workflowTemplate(RLHF);
        JsonNode update = task(wt, "ppo-update-1");
        assertThat(strings(update.path("dependencies"))).containsExactly("merge-rollout-1", "merge-scores-1", "ppo-update-0", "reference-1");
        assertThat(named(update.path("arguments").path("parameters"), "kl_target").path("value").asText())
                .isEqualTo("{{workflow.parameters.kl_target}}");
        JsonNode rollout = task(wt, "rollout-1");
        assertThat(rollout.path("withSequence").path("count").asText()).isEqualTo("{{workflow.parameters.num_shards}}");
        assertThat(named(rollout.path("arguments").path("parameters"), "shard_index").path("value").asText()).isEqualTo("{{item}}");
        assertThat(named(rollout.path("arguments").path("parameters"), "num_shards").path("value").asText())
                .isEqualTo("{{workflow.parameters.num_shards}}");
        assertThat(named(rollout.path("arguments").path("parameters"), "fan_out_task").path("value").asText()).isEqualTo("rollout-1");
        assertThat(named(wt.path("spec").path("arguments").path("parameters"), "num_shards").path("value").asText()).isEqualTo("2");
        // The merge reads every shard back by the key prefix they were written under, once the loop is done.
        JsonNode merge = task(wt, "merge-rollout-1");
        assertThat(strings(merge.path("dependencies"))).containsExactly("rollout-1");
        assertThat(named(merge.path("arguments").path("artifacts"), "rollouts").path("s3").path("key").asText())
                .isEqualTo("{{workflow.name}}/rollout-1/rollout");
        // Reward loops over the same sequence, shard k reading the key rollout's shard k wrote.
        JsonNode reward = task(wt, "reward-1");
        assertThat(reward.path("withSequence").path("count").asText()).isEqualTo("{{workflow.parameters.num_shards}}");
        assertThat(strings(reward.path("dependencies"))).containsExactly("rollout-1");
        assertThat(named(reward.path("arguments").path("artifacts"), "rollout").path("s3").path("key").asText())
                .isEqualTo("{{workflow.name}}/rollout-1/rollout/shard-{{item}}");
        assertThat(named(reward.path("arguments").path("parameters"), "fan_out_task").path("value").asText()).isEqualTo("reward-1");
        JsonNode mergeScores = task(wt, "merge-scores-1");
        assertThat(strings(mergeScores.path("dependencies"))).containsExactly("merge-rollout-1", "reward-1", "rollout-1");
        assertThat(named(mergeScores.path("arguments").path("artifacts"), "shard_scores").path("s3").path("key").asText())
                .isEqualTo("{{workflow.name}}/reward-1/scores");
        JsonNode controller = named(wt.path("spec").path("arguments").path("parameters"), "kl_controller");
        assertThat(controller.path("value").asText()).isEqualTo("adaptive");
        assertThat(strings(controller.path("enum"))).containsExactly("fixed", "adaptive");
        JsonNode toy = compiler.workflowTemplate(TOY);
        assertThat(named(task(toy, "iter-1").path("arguments").path("parameters"), "amount").path("value").asText())
                .isEqualTo("{{tasks.iter-0.outputs.parameters.max}}");
        // total runs step add once: not the template of add's shards, which writes where a merge lists them.
        assertThat(task(toy, "add").path("template").asText()).isEqualTo("add");
        assertThat(task(toy, "total").path("template").asText()).isEqualTo("add-2");
        assertThat(ArgoSpecCheck.problems(List.of(toy, compiler.cronWorkflow(TOY)))).isEmpty();
    }

    @Test
    void theFinalUpdatesKlRewardAndBetaAreGlobalOutputs() {
        JsonNode outs = template(compiler.workflowTemplate(RLHF), "rlhf-ppo").path("outputs").path("parameters");
        for (String name : List.of("kl", "reward", "beta")) {
            JsonNode o = named(outs, name);
            assertThat(o.path("globalName").asText()).isEqualTo(name);
            assertThat(o.path("valueFrom").path("parameter").asText()).isEqualTo("{{tasks.ppo-update-2.outputs.parameters." + name + "}}");
        }
        assertThat(template(compiler.workflowTemplate(TOY), "toy").has("outputs")).isFalse();
    }

    @Test
    void theCronWorkflowRunsTheTemplateOnSchedulesWithTheInputKeys() {
        JsonNode cron = compiler.cronWorkflow(RLHF);
        assertThat(cron.path("kind").asText()).isEqualTo("CronWorkflow");
        assertThat(cron.path("metadata").path("name").asText()).isEqualTo("rlhf-ppo-nightly");
        assertThat(strings(cron.path("spec").path("schedules"))).containsExactly("0 3 * * *");
        assertThat(cron.path("spec").has("schedule")).as("Argo 4 reads schedules:, not schedule:").isFalse();
        assertThat(cron.path("spec").path("concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(cron.path("spec").path("workflowSpec").path("workflowTemplateRef").path("name").asText()).isEqualTo("rlhf-ppo");
        JsonNode args = cron.path("spec").path("workflowSpec").path("arguments").path("parameters");
        assertThat(named(args, "policy_key").path("value").asText()).isEqualTo("rlhf-ppo/inputs/policy");
        assertThat(args.size()).isEqualTo(4);
    }

    @Test
    void anOptionalOutputParameterDefaultsToEmpty() {
        JsonNode wt = compiler.workflowTemplate(KfpCompilerTest.judged("gold"));
        JsonNode outs = template(wt, "judge").path("outputs").path("parameters");
        assertThat(named(outs, "gold").path("valueFrom").path("default").isTextual()).isTrue();
        assertThat(named(outs, "gold").path("valueFrom").path("default").asText()).isEmpty();
        assertThat(named(outs, "score").path("valueFrom").has("default")).isFalse();
        assertThat(ArgoSpecCheck.problems(List.of(wt, compiler.cronWorkflow(KfpCompilerTest.judged("gold"))))).isEmpty();
    }

    @Test
    void yamlKeepsParameterValuesStrings() {
        String yaml = compiler.workflowTemplateYaml(RLHF);
        assertThat(KfpCompilerTest.sameTree(Yaml.readOne(yaml), compiler.workflowTemplate(RLHF))).isTrue();
        // bare, 1e-5 is a float to YAML 1.2 readers (Kubernetes): it must be quoted
        assertThat(yaml).contains("value: \"1e-5\"").contains("value: \"0\"").contains("value: adaptive");
        assertThat(compiler.workflowTemplateYaml(new dev.tether.pipeline.defs.RlhfPpoPipeline(3, 2).pipeline())).isEqualTo(yaml);
    }
}
