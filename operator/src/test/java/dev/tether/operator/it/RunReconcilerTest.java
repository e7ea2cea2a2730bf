package dev.tether.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.operator.api.v1alpha1.Api;
import dev.tether.operator.api.v1alpha1.BetaMode;
import dev.tether.operator.api.v1alpha1.BetaPolicySpec;
import dev.tether.operator.api.v1alpha1.BetaSource;
import dev.tether.operator.api.v1alpha1.RLHFSchedule;
import dev.tether.operator.api.v1alpha1.RLHFScheduleSpec;
import dev.tether.operator.api.v1alpha1.RunTemplate;
import dev.tether.operator.api.v1alpha1.RLHFRun;
import dev.tether.operator.api.v1alpha1.RLHFRunSpec;
import dev.tether.operator.api.v1alpha1.RunPhase;
import dev.tether.operator.run.Argo;
import dev.tether.operator.run.WorkflowFactory;
import dev.tether.operator.run.RunSpecValidator;
import dev.tether.operator.support.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReconcilerTest extends OperatorTestBase {

    private RLHFRun apply(String name, RLHFRunSpec spec) {
        RLHFRun run = new RLHFRun();
        run.getMetadata().setName(name);
        run.getMetadata().setNamespace(NS);
        run.setSpec(spec);
        return client.resource(run).create();
    }

    private static RLHFRunSpec withBeta(RLHFRunSpec spec, double beta) {
        spec.beta = BetaSource.of(beta);
        return spec;
    }

    private static Condition condition(RLHFRun run, String type) {
        return Conditions.find(run.getStatus().conditions, type).orElseThrow();
    }

    @Test
    void createsItsWorkflowFromTheTemplateAndPromotesARunWithinBudget() {
        start();
        RLHFRun applied = apply("tiny-1", withBeta(runSpec(6.0, 12.0), 0.1));

        RLHFRun running = awaitRun("tiny-1", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);
        GenericKubernetesResource wf = argo.get("tiny-1");
        assertThat(wf.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> {
                    assertThat(o.getUid()).isEqualTo(applied.getMetadata().getUid());
                    assertThat(o.getKind()).isEqualTo("RLHFRun");
                    assertThat(o.getController()).isTrue();
                });
        assertThat(wf.<String>get("spec", "workflowTemplateRef", "name")).isEqualTo(TEMPLATE);
        assertThat(Argo.argument(wf, "beta")).contains("0.1");
        assertThat(Argo.argument(wf, "kl_target")).contains("6.0");
        assertThat(Argo.argument(wf, "kl_target_unit")).contains("kl_seq");
        assertThat(Argo.argument(wf, "policy_key")).contains("policies/sft-tiny");
        assertThat(Argo.argument(wf, "reference_policy_key")).as("the reference defaults to the starting policy").contains("policies/sft-tiny");
        assertThat(Argo.argument(wf, "prompts_key")).contains("prompts/reviews.jsonl");
        assertThat(Argo.argument(wf, "reward_model_key")).contains("reward/tiny-rm");
        assertThat(Argo.argument(wf, "iterations")).contains("8");
        assertThat(running.getStatus().workflowName).isEqualTo("tiny-1");
        assertThat(running.getStatus().betaUsed).isEqualTo(0.1);
        assertThat(condition(running, "Started").getReason()).isEqualTo("WorkflowCreated");

        argo.succeed("tiny-1", 5.5, 0.8, 0.093, Map.of("gold_reward", "0.31", "eval_passed", "true"));

        RLHFRun done = awaitRun("tiny-1", r -> r.getStatus().phase == RunPhase.Succeeded);
        assertThat(done.getStatus().kl).isEqualTo(5.5);
        assertThat(done.getStatus().reward).isEqualTo(0.8);
        assertThat(done.getStatus().goldReward).isEqualTo(0.31);
        assertThat(done.getStatus().finalBeta).isEqualTo(0.093);
        assertThat(done.getStatus().promoted).isTrue();
        assertThat(done.getStatus().finishedAt).isEqualTo("2026-01-01T01:00:00Z");
        assertThat(done.getStatus().observedGeneration).isEqualTo(done.getMetadata().getGeneration());
        assertThat(condition(done, "Promoted").getStatus()).isEqualTo("True");
        assertThat(condition(done, "Promoted").getReason()).isEqualTo("WithinBudget");
        assertThat(condition(done, "Complete").getReason()).isEqualTo("WorkflowSucceeded");
        eventually(() -> assertThat(events("tiny-1")).anyMatch(e -> e.startsWith("Normal RunStarted: Workflow tiny-1"))
                .anyMatch(e -> e.startsWith("Normal RunPromoted: KL 5.5 kl_seq")));
        assertThat(argo.all()).hasSize(1);
        assertThat(metrics.get("tether.runs").tag("result", "promoted").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aRunOverItsKlBudgetIsNotPromotedAndSaysWhy() {
        start();
        apply("greedy", withBeta(runSpec(6.0, 12.0), 0.1));
        awaitRun("greedy", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);

        argo.succeed("greedy", 14.2, 1.9, 0.12, Map.of());

        RLHFRun gated = awaitRun("greedy", r -> r.getStatus().phase == RunPhase.Gated);
        assertThat(gated.getStatus().promoted).isFalse();
        assertThat(gated.getStatus().kl).isEqualTo(14.2);
        Condition promoted = condition(gated, "Promoted");
        assertThat(promoted.getStatus()).isEqualTo("False");
        assertThat(promoted.getReason()).isEqualTo("KLOverBudget");
        assertThat(promoted.getMessage()).contains("KL 14.2 kl_seq is over the budget maxKL 12 kl_seq");
        eventually(() -> assertThat(events("greedy")).anyMatch(e -> e.startsWith("Warning RunGated:") && e.contains("maxKL 12")));
        assertThat(metrics.get("tether.runs").tag("result", "gated").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aWorkflowDeletedByHandFailsItsRunWithThatReason() {
        start();
        apply("doomed", withBeta(runSpec(6.0, 12.0), 0.1));
        awaitRun("doomed", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);

        argo.delete("doomed");

        RLHFRun failed = awaitRun("doomed", r -> r.getStatus().phase == RunPhase.Failed);
        assertThat(condition(failed, "Complete").getReason()).isEqualTo("WorkflowDeleted");
        assertThat(condition(failed, "Complete").getMessage()).isEqualTo("Workflow doomed was deleted before it finished");
        assertThat(condition(failed, "Promoted").getStatus()).isEqualTo("False");
        assertThat(failed.getStatus().promoted).isFalse();
        eventually(() -> assertThat(events("doomed")).anyMatch(e -> e.equals("Warning RunFailed: Workflow doomed was deleted before it finished")));
        // A finished run is a record: it does not start its Workflow again.
        assertThat(argo.all()).isEmpty();
    }

    @Test
    void aFailedWorkflowFailsItsRunWithArgosMessage() {
        start();
        apply("oom", withBeta(runSpec(6.0, 12.0), 0.1));
        awaitRun("oom", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);

        argo.fail("oom", "child 'ppo-update' failed: OOMKilled");

        RLHFRun failed = awaitRun("oom", r -> r.getStatus().phase == RunPhase.Failed);
        assertThat(condition(failed, "Complete").getReason()).isEqualTo("WorkflowFailed");
        assertThat(condition(failed, "Complete").getMessage()).isEqualTo("Workflow oom ended Failed: child 'ppo-update' failed: OOMKilled");
    }

    @Test
    void aConflictOnTheStatusUpdateIsRetriedWithoutASecondWorkflow() {
        // The first status write answers 409, as when someone else changed the run in between.
        server.expect().put().withPath("/apis/tether.dev/v1alpha1/namespaces/" + NS + "/rlhfruns/contested/status")
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
                        .withMessage("the object has been modified").build())
                .once();
        start();
        apply("contested", withBeta(runSpec(6.0, 12.0), 0.2));

        RLHFRun running = awaitRun("contested", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);
        assertThat(running.getStatus().betaUsed).isEqualTo(0.2);
        assertThat(argo.all()).hasSize(1);
        long statusWrites = operatorRequests.stream()
                .filter(r -> r.equals("PUT /apis/tether.dev/v1alpha1/namespaces/" + NS + "/rlhfruns/contested/status")).count();
        assertThat(statusWrites).as("the refused write, then the retried one").isGreaterThanOrEqualTo(2);
        long creates = operatorRequests.stream()
                .filter(r -> r.startsWith("POST /apis/argoproj.io/v1alpha1/namespaces/" + NS + "/workflows")).count();
        assertThat(creates).as("the retry found the Workflow it made and did not make another").isEqualTo(1);
        eventually(() -> assertThat(events("contested")).filteredOn(e -> e.contains("RunStarted")).hasSize(1));
    }

    @Test
    void anInvalidSpecGetsAConditionNamingTheFieldAndNoWorkflow() {
        start();
        RLHFRunSpec bad = withBeta(runSpec(6.0, 12.0), 0.1);
        bad.budget.maxKL = -1.0;
        bad.models.policyUri = "s3://AKIA:hunter2@models/policy";
        bad.parameters = Map.of("aws_secret_access_key", "hunter2");
        apply("typo", bad);
        apply("fine", withBeta(runSpec(6.0, 12.0), 0.1));

        RLHFRun invalid = awaitRun("typo", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Invalid);
        Condition accepted = condition(invalid, "Accepted");
        assertThat(accepted.getStatus()).isEqualTo("False");
        assertThat(accepted.getReason()).isEqualTo("InvalidSpec");
        assertThat(accepted.getMessage())
                .contains("spec.models.policyUri: credentials never go in a URI")
                .contains("spec.parameters.aws_secret_access_key: credentials never go in a spec")
                .contains("spec.budget.maxKL: expected a finite number > 0, got -1.0")
                .doesNotContain("hunter2");
        assertThat(argo.get("typo")).isNull();
        // The operator goes on with the others: no crash loop.
        awaitRun("fine", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);

        // Fixing the spec starts the run.
        client.resources(RLHFRun.class).inNamespace(NS).withName("typo").edit(r -> {
            r.setSpec(withBeta(runSpec(6.0, 12.0), 0.1));
            return r;
        });
        RLHFRun fixed = awaitRun("typo", r -> r.getStatus().phase == RunPhase.Running);
        assertThat(condition(fixed, "Accepted").getStatus()).isEqualTo("True");
        assertThat(fixed.getStatus().observedGeneration).isEqualTo(fixed.getMetadata().getGeneration());
    }

    @Test
    void aParameterTheTemplateDoesNotDeclareIsReportedBeforeAnythingRuns() {
        start();
        RLHFRunSpec spec = withBeta(runSpec(6.0, 12.0), 0.1);
        spec.parameters = Map.of("iteratoins", "8");
        apply("misspelt", spec);

        RLHFRun invalid = awaitRun("misspelt", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Invalid);
        assertThat(condition(invalid, "Accepted").getReason()).isEqualTo("WorkflowTemplateMismatch");
        assertThat(condition(invalid, "Accepted").getMessage())
                .isEqualTo("spec.parameters.iteratoins: WorkflowTemplate tether-rlhf-ppo declares no parameter 'iteratoins'");
        assertThat(argo.all()).isEmpty();
    }

    @Test
    void aMissingTemplateKeepsTheRunPendingWithTheReason() {
        start();
        RLHFRunSpec spec = withBeta(runSpec(6.0, 12.0), 0.1);
        spec.workflowTemplateRef.name = "not-yet-applied";
        apply("early", spec);

        RLHFRun pending = awaitRun("early", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Pending);
        assertThat(condition(pending, "Started").getReason()).isEqualTo("WorkflowTemplateNotFound");
        assertThat(condition(pending, "Started").getMessage())
                .isEqualTo("spec.workflowTemplateRef.name: WorkflowTemplate not-yet-applied not found in namespace ml");
        assertThat(argo.all()).isEmpty();
    }

    @Test
    void restartedMidRunTheOperatorFinishesTheRunWithoutASecondWorkflow() {
        start();
        apply("long", withBeta(runSpec(6.0, 12.0), 0.1));
        awaitRun("long", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);
        argo.running("long");
        stop();

        // While the operator is down, the pipeline finishes.
        argo.succeed("long", 6.3, 0.7, 0.1, Map.of());
        start();

        RLHFRun done = awaitRun("long", r -> r.getStatus().phase == RunPhase.Succeeded);
        assertThat(done.getStatus().kl).isEqualTo(6.3);
        assertThat(argo.all()).hasSize(1);
        eventually(() -> assertThat(events("long")).filteredOn(e -> e.contains("RunStarted")).hasSize(1));
    }

    @Test
    void killedBetweenCreatingTheWorkflowAndWritingStatusTheOperatorAdoptsTheWorkflow() {
        // What a kill right after the create leaves: the run with no status, its Workflow already there,
        // submitted with the β of that moment (0.25), while the spec now says 0.1.
        RLHFRun run = apply("orphaned", withBeta(runSpec(6.0, 12.0), 0.25));
        var settings = RunSpecValidator.validate(run.getSpec(), "spec", true).settings();
        client.genericKubernetesResources(Argo.WORKFLOWS).inNamespace(NS)
                .resource(WorkflowFactory.build(run, settings, 0.25)).create();
        client.resources(RLHFRun.class).inNamespace(NS).withName("orphaned").edit(r -> {
            r.getSpec().beta = BetaSource.of(0.1);
            return r;
        });

        start();

        RLHFRun adopted = awaitRun("orphaned", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);
        assertThat(adopted.getStatus().workflowName).isEqualTo("orphaned");
        assertThat(adopted.getStatus().betaUsed).as("β the Workflow really runs with").isEqualTo(0.25);
        assertThat(argo.all()).hasSize(1);
        assertThat(operatorRequests).noneMatch(r -> r.startsWith("POST /apis/argoproj.io"));
    }

    @Test
    void aRunTakesItsBetaFromAScheduleOnceThatScheduleHasOne() {
        start();
        RLHFRunSpec spec = runSpec(6.0, 12.0);
        spec.beta = new BetaSource();
        spec.beta.fromSchedule = "nightly";
        apply("adhoc", spec);

        RLHFRun waiting = awaitRun("adhoc", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Pending);
        assertThat(condition(waiting, "Started").getReason()).isEqualTo("WaitingForBeta");
        assertThat(condition(waiting, "Started").getMessage()).isEqualTo("spec.beta.fromSchedule: RLHFSchedule nightly not found");
        assertThat(argo.all()).isEmpty();

        // Once the schedule exists (its first tick a year away), a run borrowing its β starts with it.
        RLHFSchedule nightly = new RLHFSchedule();
        nightly.getMetadata().setName("nightly");
        nightly.getMetadata().setNamespace(NS);
        nightly.setSpec(new RLHFScheduleSpec());
        nightly.getSpec().schedule = "0 0 1 1 *";
        nightly.getSpec().betaPolicy = new BetaPolicySpec();
        nightly.getSpec().betaPolicy.mode = BetaMode.FIXED;
        nightly.getSpec().betaPolicy.initialBeta = 0.04;
        nightly.getSpec().runTemplate = new RunTemplate();
        nightly.getSpec().runTemplate.spec = templateSpec();
        client.resource(nightly).create();
        awaitSchedule("nightly", x -> x.getStatus() != null && x.getStatus().currentBeta != null);
        apply("adhoc-2", spec);

        RLHFRun borrowed = awaitRun("adhoc-2", r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);
        assertThat(borrowed.getStatus().betaUsed).isEqualTo(0.04);
        assertThat(Argo.argument(argo.get("adhoc-2"), "beta")).contains("0.04");
        assertThat(java.util.Objects.requireNonNullElse(borrowed.getMetadata().getLabels(), Map.<String, String>of()))
                .as("it does not join the schedule's history").doesNotContainKey(Api.LABEL_SCHEDULE);
        assertThat(schedule("nightly").getStatus().active).isEmpty();
    }
}
