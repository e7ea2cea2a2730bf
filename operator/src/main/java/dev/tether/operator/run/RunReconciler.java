package dev.tether.operator.run;

import dev.tether.operator.api.v1alpha1.Api;
import dev.tether.operator.api.v1alpha1.RLHFRun;
import dev.tether.operator.api.v1alpha1.RLHFRunStatus;
import dev.tether.operator.api.v1alpha1.RLHFSchedule;
import dev.tether.operator.api.v1alpha1.RunPhase;
import dev.tether.operator.support.Conditions;
import dev.tether.operator.support.EventRecorder;
import dev.tether.operator.support.Numbers;
import dev.tether.operator.support.OperatorMetrics;
import dev.tether.operator.support.Owners;
import dev.tether.operator.support.SpecErrors;
import dev.tether.operator.support.StatusWriter;
import dev.tether.operator.support.Times;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An RLHFRun: create its Workflow, follow it, and on completion read its outputs and decide whether
 * the policy may be promoted.
 *
 * <p>Each reconcile observes (the spec, the Workflow), decides the new status, writes it, and only
 * then records events and metrics, so a retried reconcile never reports a decision twice. A finished
 * run is never reconciled again: it never starts a second Workflow.
 */
@ControllerConfiguration(name = RunReconciler.NAME)
public class RunReconciler implements Reconciler<RLHFRun> {

    public static final String NAME = "rlhfrun";

    public static final String ACCEPTED = "Accepted";
    public static final String STARTED = "Started";
    public static final String COMPLETE = "Complete";
    public static final String PROMOTED = "Promoted";

    /** Argo labels a Workflow's pods with its name: a label value, at most 63 characters. */
    public static final int MAX_NAME_LENGTH = 63;
    /** How soon to look again for what the run waits on that sends no event (a template, a schedule's β). */
    static final Duration WAIT_RETRY = Duration.ofSeconds(30);

    private final Clock clock;
    private final EventRecorder events;
    private final OperatorMetrics metrics;

    public RunReconciler(Clock clock, EventRecorder events, OperatorMetrics metrics) {
        this.clock = clock;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, RLHFRun>> prepareEventSources(EventSourceContext<RLHFRun> context) {
        // Only the Workflows runs made (labelled), not every Workflow in the cluster.
        var workflows = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Argo.WORKFLOW_GVK, RLHFRun.class)
                        .withLabelSelector(Api.LABEL_RUN)
                        .build(),
                context);
        return List.of(workflows);
    }

    @Override
    public UpdateControl<RLHFRun> reconcile(RLHFRun run, Context<RLHFRun> context) {
        RLHFRunStatus old = run.getStatus() == null ? new RLHFRunStatus() : run.getStatus();
        if (old.phase != null && old.phase.isFinished()) {
            return UpdateControl.noUpdate();
        }
        Decision d = new Decision(run, Serialization.clone(old), clock.instant());

        RunSpecValidator.Result spec = RunSpecValidator.validate(run.getSpec(), "spec", true);
        if (run.getMetadata().getName().length() > MAX_NAME_LENGTH) {
            spec.errors().add("metadata.name", "expected at most " + MAX_NAME_LENGTH
                    + " characters (the Workflow is named after the run), got " + run.getMetadata().getName().length());
        }
        if (!spec.errors().isEmpty()) {
            d.invalid("InvalidSpec", spec.errors());
        } else {
            Conditions.set(d.status.conditions, ACCEPTED, Conditions.TRUE, "SpecValid", "the spec is valid",
                    d.generation, d.now);
            Optional<GenericKubernetesResource> workflow = workflow(run, context);
            if (workflow.isPresent()) {
                follow(d, workflow.get(), spec.settings());
            } else if (old.workflowName != null) {
                d.fail("WorkflowDeleted", "Workflow " + old.workflowName + " was deleted before it finished");
            } else {
                start(d, spec.settings(), context.getClient());
            }
        }
        d.status.observedGeneration = d.generation;

        if (StatusWriter.write(run, d.status, context)) {
            d.afterWrite.forEach(Runnable::run);
        }
        return d.requeue == null ? UpdateControl.noUpdate() : UpdateControl.<RLHFRun>noUpdate().rescheduleAfter(d.requeue);
    }

    /** From the informer, or from the API server when the informer has not seen it yet (just created, just started). */
    private Optional<GenericKubernetesResource> workflow(RLHFRun run, Context<RLHFRun> context) {
        Optional<GenericKubernetesResource> cached = context.getSecondaryResource(GenericKubernetesResource.class);
        if (cached.isPresent()) {
            return cached;
        }
        return Optional.ofNullable(context.getClient().genericKubernetesResources(Argo.WORKFLOWS)
                .inNamespace(run.getMetadata().getNamespace()).withName(run.getMetadata().getName()).get());
    }

    private void start(Decision d, RunSettings settings, KubernetesClient client) {
        String ns = d.run.getMetadata().getNamespace();
        Double beta = settings.fixedBeta();
        if (beta == null) {
            RLHFSchedule source = client.resources(RLHFSchedule.class).inNamespace(ns).withName(settings.betaFromSchedule()).get();
            if (source == null || source.getStatus() == null || source.getStatus().currentBeta == null) {
                d.waitFor("WaitingForBeta", "spec.beta.fromSchedule: RLHFSchedule " + settings.betaFromSchedule()
                        + (source == null ? " not found" : " has no current β yet"));
                return;
            }
            beta = source.getStatus().currentBeta;
        }

        var templates = client.genericKubernetesResources(
                settings.clusterScope() ? Argo.CLUSTER_WORKFLOW_TEMPLATES : Argo.WORKFLOW_TEMPLATES);
        GenericKubernetesResource template = settings.clusterScope()
                ? templates.withName(settings.templateName()).get()
                : templates.inNamespace(ns).withName(settings.templateName()).get();
        if (template == null) {
            d.waitFor("WorkflowTemplateNotFound", "spec.workflowTemplateRef.name: "
                    + (settings.clusterScope() ? "ClusterWorkflowTemplate " : "WorkflowTemplate ")
                    + settings.templateName() + " not found" + (settings.clusterScope() ? "" : " in namespace " + ns));
            return;
        }
        SpecErrors mismatch = TemplateCheck.check(template, WorkflowFactory.parameters(settings, beta).keySet());
        if (!mismatch.isEmpty()) {
            // Either side may be fixed (the template is applied from Git too), so look again later.
            d.invalid("WorkflowTemplateMismatch", mismatch);
            d.requeue = WAIT_RETRY;
            return;
        }

        GenericKubernetesResource workflow = WorkflowFactory.build(d.run, settings, beta);
        try {
            workflow = client.genericKubernetesResources(Argo.WORKFLOWS).inNamespace(ns).resource(workflow).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Created before a restart whose status write was lost: follow that one, if it is ours.
            workflow = client.genericKubernetesResources(Argo.WORKFLOWS).inNamespace(ns)
                    .withName(workflow.getMetadata().getName()).get();
            if (workflow == null) {
                throw e;
            }
        }
        follow(d, workflow, settings);
    }

    private void follow(Decision d, GenericKubernetesResource workflow, RunSettings settings) {
        String name = workflow.getMetadata().getName();
        if (!Owners.isOwnedBy(workflow, d.run)) {
            d.fail("WorkflowNameTaken", "a Workflow named " + name + " exists and belongs to something else");
            return;
        }
        if (d.status.workflowName == null) {
            d.status.workflowName = name;
            // β as the Workflow was submitted with it: after a restart, a schedule's β may have moved on.
            d.status.betaUsed = Argo.argument(workflow, RunSpecValidator.BETA).map(Double::valueOf).orElse(settings.fixedBeta());
            d.status.startedAt = Times.format(d.now);
            d.status.phase = RunPhase.Running;
            String message = "Workflow " + name + " from " + settings.templateName() + " with β="
                    + Numbers.format(d.status.betaUsed) + ", KL target " + settings.target();
            Conditions.set(d.status.conditions, STARTED, Conditions.TRUE, "WorkflowCreated", message, d.generation, d.now);
            d.event(false, "RunStarted", message);
        }
        String phase = Argo.phase(workflow);
        if (Argo.SUCCEEDED.equals(phase)) {
            complete(d, workflow, settings);
        } else if (Argo.FAILED.equals(phase) || Argo.ERROR.equals(phase)) {
            String why = Argo.message(workflow);
            d.fail("WorkflowFailed", "Workflow " + name + " ended " + phase + (why == null ? "" : ": " + why));
        } else {
            d.status.phase = RunPhase.Running;
        }
    }

    private void complete(Decision d, GenericKubernetesResource workflow, RunSettings settings) {
        WorkflowOutputs out;
        try {
            out = WorkflowOutputs.parse(Argo.outputParameters(workflow));
        } catch (IllegalArgumentException e) {
            d.fail("OutputsInvalid", e.getMessage());
            return;
        }
        RunGate.Verdict verdict = RunGate.decide(out, settings);
        RLHFRunStatus s = d.status;
        s.kl = out.kl();
        s.reward = out.reward();
        s.goldReward = out.goldReward();
        s.finalBeta = out.finalBeta() != null ? out.finalBeta() : s.betaUsed;
        s.promoted = verdict.promoted();
        s.phase = verdict.promoted() ? RunPhase.Succeeded : RunPhase.Gated;
        String finishedAt = workflow.get("status", "finishedAt");
        s.finishedAt = Times.parse(finishedAt) != null ? Times.format(Times.parse(finishedAt)) : Times.format(d.now);
        Conditions.set(s.conditions, COMPLETE, Conditions.TRUE, "WorkflowSucceeded",
                "Workflow " + workflow.getMetadata().getName() + " succeeded", d.generation, d.now);
        Conditions.set(s.conditions, PROMOTED, verdict.promoted() ? Conditions.TRUE : Conditions.FALSE,
                verdict.reason(), verdict.message(), d.generation, d.now);
        String summary = "KL " + Numbers.format(s.kl) + " " + settings.target().unit().id() + ", reward "
                + Numbers.format(s.reward) + ", β " + Numbers.format(s.betaUsed) + " → " + Numbers.format(s.finalBeta)
                + ": " + verdict.message();
        d.event(!verdict.promoted(), verdict.promoted() ? "RunPromoted" : "RunGated", summary);
        d.finished(s.phase);
    }

    /** The new status of one reconcile, with what to report once it is written. */
    private final class Decision {
        final RLHFRun run;
        final RLHFRunStatus status;
        final Instant now;
        final Long generation;
        final List<Runnable> afterWrite = new ArrayList<>();
        Duration requeue;

        Decision(RLHFRun run, RLHFRunStatus status, Instant now) {
            this.run = run;
            this.status = status;
            this.now = now;
            this.generation = run.getMetadata().getGeneration();
        }

        void event(boolean warning, String reason, String message) {
            afterWrite.add(() -> {
                if (warning) {
                    events.warning(run, reason, message);
                } else {
                    events.normal(run, reason, message);
                }
            });
        }

        void finished(RunPhase phase) {
            afterWrite.add(() -> metrics.runFinished(run.getMetadata().getNamespace(), phase));
        }

        void invalid(String reason, SpecErrors errors) {
            boolean already = status.phase == RunPhase.Invalid
                    && errors.message().equals(Conditions.find(status.conditions, ACCEPTED).map(c -> c.getMessage()).orElse(null));
            status.phase = RunPhase.Invalid;
            Conditions.set(status.conditions, ACCEPTED, Conditions.FALSE, reason, errors.message(), generation, now);
            if (!already) {
                event(true, reason, errors.message());
            }
        }

        void waitFor(String reason, String message) {
            boolean already = reason.equals(Conditions.reason(status.conditions, STARTED));
            status.phase = RunPhase.Pending;
            Conditions.set(status.conditions, STARTED, Conditions.FALSE, reason, message, generation, now);
            if (!already) {
                event(true, reason, message);
            }
            requeue = WAIT_RETRY;
        }

        void fail(String reason, String message) {
            status.phase = RunPhase.Failed;
            status.promoted = false;
            status.finishedAt = Times.format(now);
            Conditions.set(status.conditions, COMPLETE, Conditions.TRUE, reason, message, generation, now);
            Conditions.set(status.conditions, PROMOTED, Conditions.FALSE, "RunFailed", message, generation, now);
            event(true, "RunFailed", message);
            finished(RunPhase.Failed);
        }
    }
}
