package dev.tether.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.core.kl.KlUnit;
import dev.tether.operator.api.v1alpha1.BetaSource;
import dev.tether.operator.api.v1alpha1.BudgetSpec;
import dev.tether.operator.api.v1alpha1.DataSpec;
import dev.tether.operator.api.v1alpha1.KlTargetSpec;
import dev.tether.operator.api.v1alpha1.ModelsSpec;
import dev.tether.operator.api.v1alpha1.RLHFRunSpec;
import dev.tether.operator.api.v1alpha1.WorkflowTemplateRef;
import dev.tether.operator.run.RunSettings;
import dev.tether.operator.run.RunSpecValidator;
import dev.tether.operator.run.TemplateCheck;
import dev.tether.operator.run.WorkflowFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

    static RLHFRunSpec valid() {
        RLHFRunSpec s = new RLHFRunSpec();
        s.workflowTemplateRef = new WorkflowTemplateRef("tether-rlhf-ppo");
        s.models = new ModelsSpec();
        s.models.policyUri = "s3://m/policy";
        s.models.rewardModelUri = "hf://org/rm";
        s.data = new DataSpec();
        s.data.promptsUri = "gs://d/prompts.jsonl";
        s.beta = BetaSource.of(0.05);
        s.klTarget = new KlTargetSpec(0.05, KlUnit.KL_TOKEN);
        s.budget = new BudgetSpec();
        s.budget.maxKL = 0.2;
        s.parameters = new TreeMap<>(Map.of("iterations", "3"));
        return s;
    }

    @Test
    void aValidSpecGivesTheWorkflowParametersInOrder() {
        RunSettings settings = RunSpecValidator.validate(valid(), "spec", true).settings();
        assertThat(WorkflowFactory.parameters(settings, 0.05)).containsExactly(
                Map.entry("beta", "0.05"), Map.entry("kl_target", "0.05"), Map.entry("kl_target_unit", "kl_token"),
                Map.entry("policy_key", "policy"), Map.entry("reward_model_key", "rm"), Map.entry("reference_policy_key", "policy"),
                Map.entry("prompts_key", "prompts.jsonl"), Map.entry("iterations", "3"));
    }

    @Test
    void everyErrorNamesItsField() {
        RLHFRunSpec s = valid();
        s.beta = new BetaSource();
        s.klTarget.value = 0.0;
        s.data.promptsUri = "prompts.jsonl";
        s.parameters.put("beta", "9");
        s.parameters.put("hf_token", "x");
        s.budget.maxJumpRatio = 0.5;
        s.serviceAccountName = "Not_A_Name";
        assertThat(RunSpecValidator.validate(s, "spec", true).errors().all()).containsExactly(
                "spec.beta: expected exactly one of value and fromSchedule",
                "spec.klTarget.value: expected a finite number > 0, got 0.0",
                "spec.data.promptsUri: expected a URI (scheme://location), got 'prompts.jsonl'",
                "spec.parameters.beta: set by the operator from the run's spec; remove it",
                "spec.parameters.hf_token: credentials never go in a spec; reference a Secret from the WorkflowTemplate or the run's service account",
                "spec.budget.maxJumpRatio: expected a finite number ≥ 1, got 0.5",
                "spec.serviceAccountName: expected a service account name, got 'Not_A_Name'");
    }

    @Test
    void artifactUrisBecomeRepositoryKeysAndTokenCountsAreNotCredentials() {
        RLHFRunSpec s = valid();
        s.models.referenceUri = "s3://models/ref/base-v2";
        s.parameters.put("max_new_tokens", "32");
        var result = RunSpecValidator.validate(s, "spec", true);
        assertThat(result.errors().all()).isEmpty();
        assertThat(WorkflowFactory.parameters(result.settings(), 0.1))
                .containsEntry("reference_policy_key", "ref/base-v2").containsEntry("max_new_tokens", "32");

        RLHFRunSpec bucketOnly = valid();
        bucketOnly.models.policyUri = "s3://models";
        assertThat(RunSpecValidator.validate(bucketOnly, "spec", true).errors().all()).containsExactly(
                "spec.models.policyUri: expected a URI with a path (the artifact's key in the workflow's artifact repository), got 's3://models'");
    }

    @Test
    void aSchedulesTemplateMustLeaveBetaToTheSchedule() {
        assertThat(RunSpecValidator.validate(valid(), "spec.runTemplate.spec", false).errors().all())
                .containsExactly("spec.runTemplate.spec.beta: leave it out: the schedule sets β from spec.betaPolicy");
        RLHFRunSpec noBeta = valid();
        noBeta.beta = null;
        assertThat(RunSpecValidator.validate(noBeta, "spec.runTemplate.spec", false).valid()).isTrue();
    }

    @Test
    void theTemplateMustDeclareWhatIsPassedAndGetWhatItNeeds() {
        GenericKubernetesResource template = new GenericKubernetesResourceBuilder()
                .withNewMetadata().withName("t").endMetadata()
                .addToAdditionalProperties("spec", Map.of("arguments", Map.of("parameters", List.of(
                        Map.of("name", "beta"), Map.of("name", "seed"), Map.of("name", "iterations", "value", "2")))))
                .build();
        assertThat(TemplateCheck.check(template, new java.util.LinkedHashSet<>(List.of("beta", "kl_target"))).all())
                .containsExactly("spec.parameters.seed: WorkflowTemplate t needs it (it has no default)",
                        "spec.klTarget: WorkflowTemplate t declares no parameter 'kl_target'");
        assertThat(TemplateCheck.check(template, java.util.Set.of("beta", "seed")).isEmpty()).isTrue();
    }
}
