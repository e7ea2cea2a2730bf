package dev.tether.pipeline.compile;

import static dev.tether.pipeline.compile.ArgoCompilerTest.named;
import static dev.tether.pipeline.compile.ArgoCompilerTest.task;
import static dev.tether.pipeline.compile.ArgoCompilerTest.template;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Each lint-like check of {@link ArgoSpecCheck} catches the mistake it is there for. */
class ArgoSpecCheckTest {
    static final ArgoCompiler COMPILER = new ArgoCompiler(CompileSettings.defaults());
    static final ObjectNode TEMPLATE = COMPILER.workflowTemplate(KfpCompilerTest.RLHF);
    static final ObjectNode CRON = COMPILER.cronWorkflow(KfpCompilerTest.RLHF);
    static final String WT = "WorkflowTemplate rlhf-ppo: ";

    static List<String> broken(Consumer<ObjectNode> change) {
        ObjectNode copy = TEMPLATE.deepCopy();
        change.accept(copy);
        return ArgoSpecCheck.problems(List.of(copy, CRON));
    }

    static List<String> brokenCron(Consumer<ObjectNode> change) {
        ObjectNode copy = CRON.deepCopy();
        change.accept(copy);
        return ArgoSpecCheck.problems(List.of(TEMPLATE, copy));
    }

    static ObjectNode param(JsonNode task, String name) {
        return (ObjectNode) named(task.path("arguments").path("parameters"), name);
    }

    @Test
    void theCompiledDocumentsPass() {
        assertThat(ArgoSpecCheck.problems(List.of(TEMPLATE, CRON))).isEmpty();
    }

    @Test
    void aShardsKeyOfTheLoopItemNeedsALoop() {
        // reward-0 reads rollout-0's shard {{item}}: without its own loop there is no item.
        assertThat(broken(t -> ((ObjectNode) task(t, "reward-0")).remove("withSequence")))
                .anySatisfy(p -> assertThat(p).contains("task reward-0").contains("{{item}} does not resolve"));
    }

    @Test
    void referencedTemplatesMustExist() {
        // (what ppo-update-0 reads from reward-0 then fails to resolve as well)
        assertThat(broken(t -> ((ObjectNode) task(t, "reward-0")).put("template", "score")))
                .contains(WT + "template rlhf-ppo: task reward-0: template: no template 'score'; found [rlhf-ppo, rollout, reward, "
                        + "merge-rollout, merge-scores, reference, ppo-update]");
        assertThat(broken(t -> ((ObjectNode) t.path("spec")).put("entrypoint", "main")))
                .singleElement().asString().startsWith(WT + "spec.entrypoint: no template 'main'");
    }

    @Test
    void parameterReferencesMustResolve() {
        assertThat(broken(t -> param(task(t, "ppo-update-0"), "beta").put("value", "{{workflow.parameters.betta}}")))
                .containsExactly(WT + "template rlhf-ppo: task ppo-update-0 arguments.parameters[1].value: {{workflow.parameters.betta}} "
                        + "does not resolve (not in spec.arguments.parameters)");
        ArrayNode args = (ArrayNode) template(TEMPLATE, "reward").path("container").path("args");
        assertThat(broken(t -> ((ArrayNode) template(t, "reward").path("container").path("args")).add("{{inputs.parameters.batchsize}}")))
                .containsExactly(WT + "template reward: container args[" + args.size() + "]: {{inputs.parameters.batchsize}} does not resolve "
                        + "(not an input of this template)");
    }

    @Test
    void taskOutputReferencesMustBeUpstreamAndDeclared() {
        // reward-1 does not wait for ppo-update-1, so it cannot read its outputs
        assertThat(broken(t -> ((ArrayNode) ((ObjectNode) task(t, "reward-1").path("arguments")).withArray("parameters"))
                .addObject().put("name", "batch_size").put("value", "{{tasks.ppo-update-1.outputs.parameters.kl}}")))
                .singleElement().asString().contains("{{tasks.ppo-update-1.outputs.parameters.kl}} does not resolve (the task must exist, be "
                        + "upstream of this one");
        // an output parameter the template does not declare
        assertThat(broken(t -> ((ObjectNode) named(task(t, "ppo-update-1").path("arguments").path("artifacts"), "policy"))
                .put("from", "{{tasks.ppo-update-0.outputs.artifacts.policy}}")))
                .singleElement().asString().contains("{{tasks.ppo-update-0.outputs.artifacts.policy}} does not resolve");
        // global outputs must select a declared output
        assertThat(broken(t -> ((ObjectNode) named(template(t, "rlhf-ppo").path("outputs").path("parameters"), "kl").path("valueFrom"))
                .put("parameter", "{{tasks.ppo-update-2.outputs.parameters.kl_seq}}")))
                .singleElement().asString().contains("{{tasks.ppo-update-2.outputs.parameters.kl_seq}} does not resolve");
    }

    @Test
    void argumentsMustMatchTheTemplatesInputs() {
        assertThat(broken(t -> ((ArrayNode) task(t, "reward-0").path("arguments").path("artifacts")).remove(1)))
                .containsExactly(WT + "template rlhf-ppo: task reward-0: arguments.artifacts: input artifact 'reward_model' of template reward is not given");
        assertThat(broken(t -> param(task(t, "ppo-update-0"), "beta").put("name", "betta")))
                .containsExactly(WT + "template rlhf-ppo: task ppo-update-0: arguments.parameters.betta: template ppo-update has no such input; "
                        + "it has " + inputs("ppo-update"));
        // gamma is left to the step's default in every update; without one, every update must give it
        assertThat(broken(t -> ((ObjectNode) named(template(t, "ppo-update").path("inputs").path("parameters"), "gamma")).remove("default")))
                .hasSize(3)
                .contains(WT + "template rlhf-ppo: task ppo-update-0: arguments.parameters: input parameter 'gamma' of template ppo-update "
                        + "has no default and is not given");
    }

    @Test
    void dependenciesMustExistAndNotCycle() {
        assertThat(broken(t -> ((ArrayNode) task(t, "reward-0").path("dependencies")).add("reward-9")))
                .containsExactly(WT + "template rlhf-ppo: task reward-0: dependencies: no task 'reward-9' in this DAG");
        assertThat(broken(t -> ((ObjectNode) task(t, "rollout-0")).putArray("dependencies").add("ppo-update-0")))
                .containsExactly(WT + "template rlhf-ppo: dag: dependencies form a cycle: rollout-0 → ppo-update-0 → merge-rollout-0 → rollout-0");
        assertThat(broken(t -> ((ArrayNode) task(t, "reward-0").path("dependencies")).add("reward-0")))
                .contains(WT + "template rlhf-ppo: task reward-0: depends on itself");
    }

    @Test
    void aLoopsArtifactsAreReadByKeyAfterItAndItsCountResolves() {
        assertThat(broken(t -> ((ObjectNode) task(t, "rollout-0").path("withSequence")).put("count", "{{workflow.parameters.shards}}")))
                .containsExactly(WT + "template rlhf-ppo: task rollout-0 withSequence.count: {{workflow.parameters.shards}} does not resolve "
                        + "(not in spec.arguments.parameters)");
        assertThat(broken(t -> {
            ObjectNode rollouts = (ObjectNode) named(task(t, "merge-rollout-0").path("arguments").path("artifacts"), "rollouts");
            rollouts.remove("s3");
            rollouts.put("from", "{{tasks.rollout-0.outputs.artifacts.rollout}}");
        })).containsExactly(WT + "template rlhf-ppo: task merge-rollout-0: arguments.artifacts.rollouts: from: task rollout-0 loops (withSequence), "
                + "and Argo does not aggregate a loop's artifacts; read them by their key in the artifact repository");
        assertThat(broken(t -> ((ArrayNode) task(t, "merge-rollout-0").path("dependencies")).removeAll()))
                .containsExactly(WT + "template rlhf-ppo: task merge-rollout-0: arguments.artifacts.rollouts: s3.key reads the outputs of task "
                        + "rollout-0, which is not upstream of this one through dependencies");
        assertThat(broken(t -> ((ObjectNode) named(template(t, "rollout").path("outputs").path("artifacts"), "rollout").path("s3"))
                .put("key", "{{workflow.name}}/{{inputs.parameters.task}}/rollout")))
                .containsExactly(WT + "template rollout: outputs artifacts[0].s3.key: {{inputs.parameters.task}} does not resolve (not an input of this "
                        + "template)");
    }

    @Test
    void namesFollowArgosRules() {
        assertThat(broken(t -> ((ObjectNode) named(t.path("spec").path("arguments").path("parameters"), "seed")).put("name", "se ed")))
                .contains(WT + "spec.arguments.parameters[1].name: expected letters, digits, '_' and '-', found 'se ed'");
        assertThat(broken(t -> ((ObjectNode) task(t, "reward-0")).put("name", "reward_0")))
                .anySatisfy(p -> assertThat(p).startsWith(WT + "template rlhf-ppo: dag.tasks[").contains("found 'reward_0'"));
        assertThat(broken(t -> ((ObjectNode) t.path("metadata")).put("name", "RLHF")))
                .anySatisfy(p -> assertThat(p).startsWith(WT.replace("rlhf-ppo", "RLHF") + "metadata.name: expected a DNS-1123 subdomain"));
    }

    @Test
    void aTemplateTooBigForEtcdIsRefused() {
        assertThat(broken(t -> ((ObjectNode) t.path("metadata").path("annotations")).put("workflows.argoproj.io/description", "x".repeat(1 << 20))))
                .singleElement().asString().startsWith(WT).contains("bytes of JSON; keep a WorkflowTemplate under 1048576");
    }

    @Test
    void theCronWorkflowMustParseAndReferToATemplateAndItsParameters() {
        assertThat(brokenCron(c -> ((ArrayNode) c.path("spec").path("schedules")).set(0, "0 25 * * *")))
                .containsExactly("CronWorkflow rlhf-ppo-nightly: spec.schedules[0]: field 2 value 25 is outside 0–23");
        assertThat(brokenCron(c -> ((ArrayNode) c.path("spec").path("schedules")).set(0, "daily at 3")))
                .singleElement().asString().contains("expected 5 fields");
        assertThat(brokenCron(c -> ((ObjectNode) c.path("spec")).put("timezone", "Mars/Olympus")))
                .containsExactly("CronWorkflow rlhf-ppo-nightly: spec.timezone: unknown time zone 'Mars/Olympus'");
        assertThat(brokenCron(c -> ((ObjectNode) c.path("spec").path("workflowSpec").path("workflowTemplateRef")).put("name", "rlhf")))
                .containsExactly("CronWorkflow rlhf-ppo-nightly: spec.workflowSpec.workflowTemplateRef.name: no WorkflowTemplate 'rlhf' among [rlhf-ppo]");
        assertThat(brokenCron(c -> ((ArrayNode) c.path("spec").path("workflowSpec").path("arguments").path("parameters")).remove(0)))
                .containsExactly("CronWorkflow rlhf-ppo-nightly: spec.workflowSpec.arguments.parameters: parameter 'policy_key' of WorkflowTemplate "
                        + "rlhf-ppo has no value and is not given");
        assertThat(brokenCron(c -> ((ArrayNode) c.path("spec").path("workflowSpec").path("arguments").path("parameters")).addObject()
                .put("name", "kl_controller").put("value", "pid")))
                .containsExactly("CronWorkflow rlhf-ppo-nightly: spec.workflowSpec.arguments.parameters.kl_controller: 'pid' is not one of "
                        + "[\"fixed\",\"adaptive\"]");
        assertThat(brokenCron(c -> ((ObjectNode) c.path("metadata")).put("name", "x".repeat(53))))
                .anySatisfy(p -> assertThat(p).contains("53 characters; Argo allows 52"));
    }

    @Test
    void cronFieldsAreCheckedOneByOne() {
        assertThat(ArgoSpecCheck.cronProblem("*/15 0-6,22 1 */2 1-5")).isNull();
        assertThat(ArgoSpecCheck.cronProblem("@daily")).isNull();
        assertThat(ArgoSpecCheck.cronProblem("60 * * * *")).isEqualTo("field 1 value 60 is outside 0–59");
        assertThat(ArgoSpecCheck.cronProblem("* * * 13 *")).isEqualTo("field 4 value 13 is outside 1–12");
        assertThat(ArgoSpecCheck.cronProblem("*/0 * * * *")).isEqualTo("field 1 '*/0': a step must be ≥ 1");
        assertThat(ArgoSpecCheck.cronProblem("0 3 * JAN-MAR MON-FRI")).isNull();
        assertThat(ArgoSpecCheck.cronProblem("* * * * FUNDAY")).isEqualTo("field 5 'FUNDAY' is not a cron field");
    }

    private static java.util.Set<String> inputs(String template) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        template(TEMPLATE, template).path("inputs").path("parameters").forEach(p -> out.add(p.path("name").asText()));
        return out;
    }
}
