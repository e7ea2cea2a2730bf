package dev.tether.operator.schedule;

import dev.tether.operator.api.v1alpha1.Api;
import dev.tether.operator.api.v1alpha1.BetaSource;
import dev.tether.operator.api.v1alpha1.ConcurrencyPolicy;
import dev.tether.operator.api.v1alpha1.HistoryEntry;
import dev.tether.operator.api.v1alpha1.RLHFRun;
import dev.tether.operator.api.v1alpha1.RLHFRunSpec;
import dev.tether.operator.api.v1alpha1.RLHFSchedule;
import dev.tether.operator.api.v1alpha1.RLHFScheduleStatus;
import dev.tether.operator.api.v1alpha1.RunPhase;
import dev.tether.operator.api.v1alpha1.SchedulePhase;
import dev.tether.operator.run.Argo;
import dev.tether.operator.support.Conditions;
import dev.tether.operator.support.EventRecorder;
import dev.tether.operator.support.Numbers;
import dev.tether.operator.support.OperatorMetrics;
import dev.tether.operator.support.Owners;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An RLHFSchedule: on each cron tick, a run with the β carried from the runs before it; the history
 * of finished runs, pruned to its limit.
 *
 * <p>All it knows is in the resources: the ticks already handled are in its status and in its runs'
 * names and annotations, β is derived from the history, and a run's name is its tick, so after a
 * restart at any point it neither loses a tick nor starts one twice. Time comes from the injected
 * clock; the reconcile is rescheduled for the next tick (or sooner, at most {@code maxWait}, so a
 * clock that jumps is noticed).
 */
@ControllerConfiguration(name = ScheduleReconciler.NAME)
public class ScheduleReconciler implements Reconciler<RLHFSchedule> {

    public static final String NAME = "rlhfschedule";
    public static final String ACCEPTED = "Accepted";
    public static final String LAST_RUN_PROMOTED = "LastRunPromoted";

    /** How soon to look again at a tick held back by a run that is settling. */
    static final Duration SETTLE_WAIT = Duration.ofSeconds(1);

    private final Clock clock;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Duration maxWait;

    public ScheduleReconciler(Clock clock, EventRecorder events, OperatorMetrics metrics, Duration maxWait) {
        this.clock = clock;
        this.events = events;
        this.metrics = metrics;
        this.maxWait = maxWait;
    }

    @Override
    public List<EventSource<?, RLHFSchedule>> prepareEventSources(EventSourceContext<RLHFSchedule> context) {
        return List.of(new InformerEventSource<>(
                InformerEventSourceConfiguration.from(RLHFRun.class, RLHFSchedule.class)
                        .withLabelSelector(Api.LABEL_SCHEDULE)
                        .build(),
                context));
    }

    @Override
    public UpdateControl<RLHFSchedule> reconcile(RLHFSchedule schedule, Context<RLHFSchedule> context) {
        Instant now = clock.instant();
        RLHFScheduleStatus old = schedule.getStatus() == null ? new RLHFScheduleStatus() : schedule.getStatus();
        RLHFScheduleStatus status = Serialization.clone(old);
        Long generation = schedule.getMetadata().getGeneration();
        List<Runnable> afterWrite = new ArrayList<>();

        ScheduleSpecValidator.Result spec = ScheduleSpecValidator.validate(schedule.getMetadata().getName(), schedule.getSpec());
        if (!spec.valid()) {
            String message = spec.errors().message();
            if (old.phase != SchedulePhase.Invalid || !message.equals(Conditions.find(old.conditions, ACCEPTED)
                    .map(c -> c.getMessage()).orElse(null))) {
                afterWrite.add(() -> events.warning(schedule, "InvalidSpec", message));
            }
            status.phase = SchedulePhase.Invalid;
            Conditions.set(status.conditions, ACCEPTED, Conditions.FALSE, "InvalidSpec", message, generation, now);
            status.observedGeneration = generation;
            write(schedule, status, context, afterWrite);
            return UpdateControl.noUpdate();
        }
        ScheduleSettings s = spec.settings();
        Conditions.set(status.conditions, ACCEPTED, Conditions.TRUE, "SpecValid", "the spec is valid", generation, now);

        // Observe: this schedule's runs.
        List<RLHFRun> runs = context.getSecondaryResources(RLHFRun.class).stream()
                .filter(r -> Owners.isOwnedBy(r, schedule))
                .sorted(Comparator.comparing(r -> r.getMetadata().getName()))
                .collect(Collectors.toList());
        List<RLHFRun> finished = runs.stream().filter(ScheduleReconciler::isFinished).collect(Collectors.toList());
        List<RLHFRun> active = runs.stream().filter(ScheduleReconciler::isActive).collect(Collectors.toCollection(ArrayList::new));

        // History and β.
        List<HistoryEntry> history = ScheduleHistory.merge(old.history,
                finished.stream().map(ScheduleHistory::entryOf).collect(Collectors.toList()), s.historyLimit());
        Set<String> known = old.history.stream().map(e -> e.name).collect(Collectors.toSet());
        history.stream().filter(e -> !known.contains(e.name)).sorted(ScheduleHistory.NEWEST_FIRST.reversed())
                .forEach(e -> afterWrite.add(() -> reportFinished(schedule, e)));
        ScheduleBeta.Carried previous = old.betaSource != null && old.currentBeta != null
                ? new ScheduleBeta.Carried(old.currentBeta, old.betaSource, old.betaReason) : null;
        ScheduleBeta.Carried beta = ScheduleBeta.current(s.betaPolicy(), history, previous);
        if (old.currentBeta != null && old.currentBeta != beta.beta()) {
            String message = "β " + Numbers.format(old.currentBeta) + " → " + Numbers.format(beta.beta()) + ": " + beta.reason();
            afterWrite.add(() -> events.normal(schedule, "BetaChanged", message));
        }
        status.currentBeta = beta.beta();
        status.betaSource = beta.source();
        status.betaReason = beta.reason();

        // Decide: is a tick due, and what does it do?
        Instant lastRunTick = runs.stream().map(r -> Times.parse(annotation(r, Api.ANNOTATION_SCHEDULED_TIME)))
                .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
        // A run whose status write was lost in a restart still counts: its annotation says its tick.
        status.lastScheduleTime = Times.format(latest(Times.parse(old.lastScheduleTime), lastRunTick));
        Instant lastHandled = latest(Times.parse(old.lastTickTime), lastRunTick);
        status.lastTickTime = Times.format(lastHandled);
        Instant created = Objects.requireNonNullElse(Times.parse(schedule.getMetadata().getCreationTimestamp()), now);
        TickPlanner.Plan plan = TickPlanner.plan(s.cron(), now, lastHandled, created, s.startingDeadlineSeconds());
        if (!s.suspend() && plan.kind() == TickPlanner.Kind.MISSED) {
            status.lastTickTime = Times.format(plan.tick());
            String message = "tick " + Times.format(plan.tick()) + " missed: it is more than startingDeadlineSeconds ("
                    + s.startingDeadlineSeconds() + ") old";
            afterWrite.add(() -> events.warning(schedule, "MissedSchedule", message));
        } else if (!s.suspend() && plan.kind() == TickPlanner.Kind.START) {
            String tick = Times.format(plan.tick());
            List<String> settling = settling(context.getClient(), active);
            if (!settling.isEmpty()) {
                // A run whose Workflow has ended but whose status does not say so yet: its outcome may
                // move β, and with Forbid it is not running any more. Decide once its status is written
                // (that write wakes this schedule up; the requeue is only a fallback).
                afterWrite.clear();
                return UpdateControl.<RLHFSchedule>noUpdate().rescheduleAfter(SETTLE_WAIT);
            }
            if (!active.isEmpty() && s.concurrencyPolicy() == ConcurrencyPolicy.Forbid) {
                status.lastTickTime = tick;
                String message = "tick " + tick + " skipped: " + names(active) + " still running (concurrencyPolicy Forbid)";
                afterWrite.add(() -> events.normal(schedule, "RunSkipped", message));
            } else {
                if (s.concurrencyPolicy() == ConcurrencyPolicy.Replace) {
                    for (RLHFRun r : active) {
                        context.getClient().resource(r).delete();
                        String message = "deleted run " + r.getMetadata().getName() + " (concurrencyPolicy Replace)";
                        afterWrite.add(() -> events.normal(schedule, "RunReplaced", message));
                    }
                    active.clear();
                }
                List<Double> recentKl = ScheduleHistory.recentPromotedKl(history, s.jumpWindow());
                RLHFRun run = createRun(context.getClient(), schedule, plan.tick(), beta.beta(), recentKl);
                active.add(run);
                status.lastScheduleTime = tick;
                status.lastTickTime = tick;
                String message = "run " + run.getMetadata().getName() + " for tick " + tick + " with β="
                        + Numbers.format(beta.beta()) + " (" + beta.reason() + ")";
                afterWrite.add(() -> events.normal(schedule, "RunCreated", message));
                if (plan.skippedBefore() > 0) {
                    String missed = plan.skippedBefore() + " earlier tick(s) were missed; started only the latest, " + tick;
                    afterWrite.add(() -> events.warning(schedule, "MissedSchedule", missed));
                }
            }
        }

        // Prune finished runs the history no longer keeps (their Workflows go with them).
        for (RLHFRun r : ScheduleHistory.toPrune(finished, history)) {
            context.getClient().resource(r).delete();
        }

        status.nextScheduleTime = Times.format(plan.next());
        status.active = names(active);
        status.history = history;
        status.lastKL = history.stream().map(e -> e.kl).filter(Objects::nonNull).findFirst().orElse(null);
        history.stream().findFirst().ifPresent(last -> Conditions.set(status.conditions, LAST_RUN_PROMOTED,
                Boolean.TRUE.equals(last.promoted) ? Conditions.TRUE : Conditions.FALSE,
                Objects.requireNonNullElse(last.reason, last.phase == RunPhase.Failed ? "RunFailed" : "Unknown"),
                "run " + last.name + " " + last.phase, generation, now));
        status.phase = s.suspend() ? SchedulePhase.Suspended
                : active.isEmpty() ? SchedulePhase.Scheduled : SchedulePhase.Running;
        status.observedGeneration = generation;
        write(schedule, status, context, afterWrite);

        Duration wait = plan.next() == null ? maxWait : Duration.between(clock.instant(), plan.next());
        wait = wait.compareTo(maxWait) > 0 ? maxWait : wait.isNegative() ? Duration.ZERO : wait;
        return UpdateControl.<RLHFSchedule>noUpdate().rescheduleAfter(wait);
    }

    private void write(RLHFSchedule schedule, RLHFScheduleStatus status, Context<RLHFSchedule> context,
            List<Runnable> afterWrite) {
        if (StatusWriter.write(schedule, status, context)) {
            afterWrite.forEach(Runnable::run);
        }
        metrics.schedules(context.getPrimaryCache().list().collect(Collectors.toList()));
    }

    private void reportFinished(RLHFSchedule schedule, HistoryEntry e) {
        String message = "run " + e.name + " " + e.phase + ": β " + Numbers.format(e.beta) + ", KL " + Numbers.format(e.kl)
                + ", reward " + Numbers.format(e.reward) + (e.reason == null ? "" : " (" + e.reason + ")");
        if (Boolean.TRUE.equals(e.promoted)) {
            events.normal(schedule, "RunPromoted", message);
        } else {
            events.warning(schedule, e.phase == RunPhase.Gated ? "RunGated" : "RunFailed", message);
        }
    }

    /** The run for a tick: its name is the tick, so a second attempt for the same tick is a 409, not a second run. */
    private static RLHFRun createRun(KubernetesClient client, RLHFSchedule schedule, Instant tick, double beta,
            List<Double> recentKl) {
        RLHFRunSpec spec = Serialization.clone(schedule.getSpec().runTemplate.spec);
        spec.beta = BetaSource.of(beta);
        if (spec.budget != null) {
            spec.budget.recentKL = recentKl.isEmpty() ? null : recentKl;
        }
        Map<String, String> labels = new HashMap<>();
        if (schedule.getSpec().runTemplate.labels != null) {
            labels.putAll(schedule.getSpec().runTemplate.labels);
        }
        labels.put(Api.LABEL_SCHEDULE, schedule.getMetadata().getName());
        Map<String, String> annotations = new HashMap<>();
        if (schedule.getSpec().runTemplate.annotations != null) {
            annotations.putAll(schedule.getSpec().runTemplate.annotations);
        }
        annotations.put(Api.ANNOTATION_SCHEDULED_TIME, Times.format(tick));

        RLHFRun run = new RLHFRun();
        run.getMetadata().setName(runName(schedule.getMetadata().getName(), tick));
        run.getMetadata().setNamespace(schedule.getMetadata().getNamespace());
        run.getMetadata().setLabels(labels);
        run.getMetadata().setAnnotations(annotations);
        run.getMetadata().setOwnerReferences(List.of(Owners.controllerReference(schedule)));
        run.setSpec(spec);
        try {
            return client.resource(run).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return run; // created before a restart that lost the status write
            }
            throw e;
        }
    }

    /** As a CronJob names its Jobs: the schedule's name and the tick in minutes since the epoch. */
    public static String runName(String schedule, Instant tick) {
        return schedule + "-" + tick.getEpochSecond() / 60;
    }

    /** Active runs whose Workflow has already ended (or gone): their run reconciler has not caught up yet. */
    private static List<String> settling(KubernetesClient client, List<RLHFRun> active) {
        List<String> names = new ArrayList<>();
        for (RLHFRun r : active) {
            if (r.getStatus() == null || r.getStatus().workflowName == null) {
                continue;
            }
            GenericKubernetesResource wf = client.genericKubernetesResources(Argo.WORKFLOWS)
                    .inNamespace(r.getMetadata().getNamespace()).withName(r.getStatus().workflowName).get();
            String phase = wf == null ? null : Argo.phase(wf);
            if (wf == null || Argo.SUCCEEDED.equals(phase) || Argo.FAILED.equals(phase) || Argo.ERROR.equals(phase)) {
                names.add(r.getMetadata().getName());
            }
        }
        return names;
    }

    private static boolean isFinished(RLHFRun r) {
        return r.getStatus() != null && r.getStatus().phase != null && r.getStatus().phase.isFinished();
    }

    /** Not finished and not invalid: an invalid run waits for a fix and must not hold the schedule up. */
    private static boolean isActive(RLHFRun r) {
        return !isFinished(r) && (r.getStatus() == null || r.getStatus().phase != RunPhase.Invalid);
    }

    private static List<String> names(List<RLHFRun> runs) {
        return runs.stream().map(r -> r.getMetadata().getName()).sorted().collect(Collectors.toList());
    }

    private static String annotation(RLHFRun r, String key) {
        return r.getMetadata().getAnnotations() == null ? null : r.getMetadata().getAnnotations().get(key);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
