package dev.tether.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.tether.operator.api.v1alpha1.Api;
import dev.tether.operator.api.v1alpha1.BetaMode;
import dev.tether.operator.api.v1alpha1.BetaPolicySpec;
import dev.tether.operator.api.v1alpha1.ConcurrencyPolicy;
import dev.tether.operator.api.v1alpha1.HistoryEntry;
import dev.tether.operator.api.v1alpha1.RLHFRun;
import dev.tether.operator.api.v1alpha1.RLHFRunSpec;
import dev.tether.operator.api.v1alpha1.RLHFSchedule;
import dev.tether.operator.api.v1alpha1.RLHFScheduleSpec;
import dev.tether.operator.api.v1alpha1.RunPhase;
import dev.tether.operator.api.v1alpha1.RunTemplate;
import dev.tether.operator.api.v1alpha1.SchedulePhase;
import dev.tether.operator.run.Argo;
import dev.tether.operator.schedule.ScheduleReconciler;
import dev.tether.operator.support.Conditions;
import dev.tether.operator.support.Owners;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleReconcilerTest extends OperatorTestBase {

    /** The first full hour after the schedule exists; the hourly cron's ticks follow it. */
    private Instant firstTick;

    private RLHFSchedule apply(String name, ConcurrencyPolicy policy, RLHFRunSpec template, Long deadline, int historyLimit) {
        RLHFScheduleSpec spec = new RLHFScheduleSpec();
        spec.schedule = "0 * * * *";
        spec.concurrencyPolicy = policy;
        spec.startingDeadlineSeconds = deadline;
        spec.historyLimit = historyLimit;
        spec.betaPolicy = new BetaPolicySpec();
        spec.betaPolicy.mode = BetaMode.CARRY;
        spec.betaPolicy.initialBeta = 0.1;
        spec.betaPolicy.gain = 1.0;
        spec.betaPolicy.betaMin = 0.01;
        spec.betaPolicy.betaMax = 1.0;
        spec.runTemplate = new RunTemplate();
        spec.runTemplate.labels = Map.of("team", "alignment");
        spec.runTemplate.spec = template;
        RLHFSchedule s = new RLHFSchedule();
        s.getMetadata().setName(name);
        s.getMetadata().setNamespace(NS);
        s.setSpec(spec);
        RLHFSchedule created = client.resource(s).create();
        firstTick = Instant.parse(created.getMetadata().getCreationTimestamp()).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        return created;
    }

    private Instant tick(int n) {
        return firstTick.plus(Duration.ofHours(n - 1));
    }

    private String runAt(String schedule, int n) {
        return ScheduleReconciler.runName(schedule, tick(n));
    }

    /** Moves the clock to tick n and waits for its run to have started its Workflow. */
    private RLHFRun tickAndAwaitRun(String schedule, int n) {
        clock.set(tick(n).plusSeconds(5));
        return awaitRun(runAt(schedule, n), r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);
    }

    private RLHFSchedule awaitHistory(String name, int size) {
        return awaitSchedule(name, s -> s.getStatus() != null && s.getStatus().history.size() == size
                && s.getStatus().active.isEmpty());
    }

    private List<RLHFRun> runs() {
        return client.resources(RLHFRun.class).inNamespace(NS).list().getItems();
    }

    @Test
    void fiveRunsWhoseKlRisesAboveTargetRaiseBetaRunAfterRunByTheFormula() {
        start();
        apply("nightly", ConcurrencyPolicy.Forbid, runSpec(6.0, 20.0), null, 10);
        RLHFSchedule fresh = awaitSchedule("nightly", s -> s.getStatus() != null && s.getStatus().currentBeta != null);
        assertThat(fresh.getStatus().currentBeta).isEqualTo(0.1);
        assertThat(fresh.getStatus().phase).isEqualTo(SchedulePhase.Scheduled);
        assertThat(fresh.getStatus().nextScheduleTime).isEqualTo(tick(1).toString());

        double[] kl = {6.6, 7.2, 6.9, 8.4, 9.0};
        // β_next = β·(1 + clip(KL/6 − 1, ±0.2)), worked by hand: e = +0.10, +0.20, +0.15, +0.20 (0.40 clipped), +0.20.
        double[] expected = {0.1, 0.11, 0.132, 0.1518, 0.18216, 0.218592};
        List<Double> used = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            RLHFRun run = tickAndAwaitRun("nightly", n);
            assertThat(run.getSpec().beta.value).as("β of run %d", n).isCloseTo(expected[n - 1], within(1e-12));
            assertThat(Argo.argument(argo.get(run.getMetadata().getName()), "beta"))
                    .contains(Double.toString(run.getSpec().beta.value));
            assertThat(run.getMetadata().getLabels()).containsEntry("team", "alignment").containsEntry(Api.LABEL_SCHEDULE, "nightly");
            assertThat(Owners.isOwnedBy(run, schedule("nightly"))).isTrue();
            used.add(run.getSpec().beta.value);
            argo.succeedKeepingBeta(run.getMetadata().getName(), kl[n - 1], 0.5 + 0.1 * n);
            awaitHistory("nightly", n);
        }

        assertThat(used).isSortedAccordingTo(Double::compare).doesNotHaveDuplicates();
        RLHFSchedule s = schedule("nightly");
        assertThat(s.getStatus().currentBeta).isCloseTo(expected[5], within(1e-12));
        assertThat(s.getStatus().betaSource).isEqualTo(runAt("nightly", 5));
        assertThat(s.getStatus().betaReason).contains("KL 9 vs target 6.0 kl_seq, e = +0.2");
        assertThat(s.getStatus().lastKL).isEqualTo(9.0);
        assertThat(s.getStatus().lastScheduleTime).isEqualTo(tick(5).toString());
        assertThat(s.getStatus().nextScheduleTime).isEqualTo(tick(6).toString());
        assertThat(s.getStatus().history).extracting(e -> e.name)
                .containsExactly(runAt("nightly", 5), runAt("nightly", 4), runAt("nightly", 3), runAt("nightly", 2), runAt("nightly", 1));
        HistoryEntry newest = s.getStatus().history.get(0);
        assertThat(newest.kl).isEqualTo(9.0);
        assertThat(newest.beta).isCloseTo(expected[4], within(1e-12));
        assertThat(newest.reward).isCloseTo(1.0, within(1e-12));
        assertThat(newest.promoted).isTrue();
        assertThat(Conditions.isTrue(s.getStatus().conditions, "LastRunPromoted")).isTrue();
        eventually(() -> assertThat(events("nightly")).filteredOn(e -> e.startsWith("Normal BetaChanged")).hasSize(5)
                .last().asString().contains("β 0.1822 → 0.2186"));
        eventually(() -> assertThat(events("nightly")).filteredOn(e -> e.startsWith("Normal RunCreated")).hasSize(5));
        assertThat(metrics.get("tether.schedule.beta").tag("schedule", "nightly").gauge().value())
                .isCloseTo(expected[5], within(1e-12));
        assertThat(metrics.get("tether.schedule.last.kl").tag("unit", "kl_seq").gauge().value()).isEqualTo(9.0);
        assertThat(runs()).hasSize(5);
        assertThat(argo.all()).hasSize(5);
    }

    @Test
    void aRunOverBudgetIsNotPromotedAndTheNextBetaRises() {
        start();
        RLHFRunSpec template = runSpec(6.0, 12.0);
        template.budget.maxJumpRatio = 2.0;
        apply("guarded", ConcurrencyPolicy.Forbid, template, null, 10);

        RLHFRun first = tickAndAwaitRun("guarded", 1);
        assertThat(first.getSpec().budget.recentKL).isNull();
        argo.succeedKeepingBeta(first.getMetadata().getName(), 5.0, 0.4);
        awaitHistory("guarded", 1);
        double beta2 = 0.1 * (1 + (5.0 / 6.0 - 1)); // KL under target: β falls

        RLHFRun second = tickAndAwaitRun("guarded", 2);
        assertThat(second.getSpec().beta.value).isCloseTo(beta2, within(1e-12));
        assertThat(second.getSpec().budget.recentKL).containsExactly(5.0);
        argo.succeedKeepingBeta(second.getMetadata().getName(), 14.0, 2.1);
        awaitHistory("guarded", 2);

        RLHFRun gated = run(second.getMetadata().getName());
        assertThat(gated.getStatus().phase).isEqualTo(RunPhase.Gated);
        assertThat(gated.getStatus().promoted).isFalse();
        assertThat(Conditions.reason(gated.getStatus().conditions, "Promoted")).isEqualTo("KLOverBudget");
        assertThat(Conditions.find(gated.getStatus().conditions, "Promoted").orElseThrow().getMessage())
                .contains("KL 14 kl_seq is over the budget maxKL 12 kl_seq")
                .contains("over maxJumpRatio 2 × the median 5 of the last 1 promoted runs");
        RLHFSchedule s = schedule("guarded");
        assertThat(s.getStatus().currentBeta).as("a gated run counts as e = +0.2").isCloseTo(beta2 * 1.2, within(1e-12));
        assertThat(s.getStatus().betaReason).contains("not promoted (KLOverBudget)");
        assertThat(Conditions.find(s.getStatus().conditions, "LastRunPromoted").orElseThrow().getReason()).isEqualTo("KLOverBudget");
        eventually(() -> assertThat(events("guarded")).anyMatch(e -> e.startsWith("Warning RunGated: run " + second.getMetadata().getName()))
                .anyMatch(e -> e.startsWith("Normal BetaChanged:") && e.contains("not promoted (KLOverBudget)")));

        // The jump test compares with promoted runs only: the gated one does not raise the median.
        RLHFRun third = tickAndAwaitRun("guarded", 3);
        assertThat(third.getSpec().beta.value).isCloseTo(beta2 * 1.2, within(1e-12));
        assertThat(third.getSpec().budget.recentKL).containsExactly(5.0);
        argo.succeedKeepingBeta(third.getMetadata().getName(), 10.5, 1.2);
        RLHFRun jumped = awaitRun(third.getMetadata().getName(), r -> r.getStatus().phase == RunPhase.Gated);
        assertThat(Conditions.reason(jumped.getStatus().conditions, "Promoted")).isEqualTo("KLJump");
    }

    @Test
    void restartedMidScheduleNothingIsLostAndNothingRunsTwice() {
        start();
        apply("resilient", ConcurrencyPolicy.Forbid, runSpec(6.0, 20.0), 1800L, 10);
        RLHFRun first = tickAndAwaitRun("resilient", 1);
        stop();

        // Down through tick 2: the pipeline finishes meanwhile, and the operator is back 10 minutes late.
        argo.succeedKeepingBeta(first.getMetadata().getName(), 7.2, 0.6);
        clock.set(tick(2).plus(Duration.ofMinutes(10)));
        start();
        RLHFRun second = awaitRun(runAt("resilient", 2), r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);
        assertThat(run(first.getMetadata().getName()).getStatus().phase).isEqualTo(RunPhase.Succeeded);
        assertThat(second.getSpec().beta.value).as("carried from the run that finished while down").isCloseTo(0.12, within(1e-12));
        argo.succeedKeepingBeta(second.getMetadata().getName(), 6.0, 0.6);
        awaitHistory("resilient", 2);
        stop();

        // Killed after creating tick 3's run but before its status write: the run exists, the status does not say so.
        RLHFSchedule s = schedule("resilient");
        RLHFRun third = new RLHFRun();
        third.getMetadata().setName(runAt("resilient", 3));
        third.getMetadata().setNamespace(NS);
        third.getMetadata().setLabels(Map.of(Api.LABEL_SCHEDULE, "resilient"));
        third.getMetadata().setAnnotations(Map.of(Api.ANNOTATION_SCHEDULED_TIME, tick(3).toString()));
        third.getMetadata().setOwnerReferences(List.of(Owners.controllerReference(s)));
        third.setSpec(s.getSpec().runTemplate.spec);
        third.getSpec().beta = dev.tether.operator.api.v1alpha1.BetaSource.of(0.12);
        client.resource(third).create();
        clock.set(tick(3).plusSeconds(30));
        start();
        awaitRun(runAt("resilient", 3), r -> r.getStatus() != null && r.getStatus().phase == RunPhase.Running);
        awaitSchedule("resilient", x -> tick(3).toString().equals(x.getStatus().lastScheduleTime));
        argo.succeedKeepingBeta(runAt("resilient", 3), 6.0, 0.6);
        awaitHistory("resilient", 3);
        stop();

        // Down past tick 5's starting deadline: ticks 4 and 5 are missed, not started late.
        clock.set(tick(5).plus(Duration.ofMinutes(45)));
        start();
        RLHFSchedule after = awaitSchedule("resilient", x -> tick(5).toString().equals(x.getStatus().lastTickTime));
        assertThat(after.getStatus().nextScheduleTime).isEqualTo(tick(6).toString());
        assertThat(after.getStatus().lastScheduleTime).isEqualTo(tick(3).toString());
        eventually(() -> assertThat(events("resilient")).anyMatch(e -> e.startsWith("Warning MissedSchedule: tick " + tick(5))));

        assertThat(runs()).extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder(runAt("resilient", 1), runAt("resilient", 2), runAt("resilient", 3));
        assertThat(argo.all()).hasSize(3);
        eventually(() -> assertThat(events("resilient")).filteredOn(e -> e.startsWith("Normal RunCreated")).hasSize(2));
    }

    @Test
    void forbidSkipsATickWhileARunGoesAndTheHistoryIsPrunedToItsLimit() {
        start();
        apply("busy", ConcurrencyPolicy.Forbid, runSpec(6.0, 20.0), null, 2);
        RLHFRun first = tickAndAwaitRun("busy", 1);

        clock.set(tick(2).plusSeconds(5));
        RLHFSchedule skipped = awaitSchedule("busy", s -> tick(2).toString().equals(s.getStatus().lastTickTime));
        assertThat(skipped.getStatus().active).containsExactly(first.getMetadata().getName());
        assertThat(skipped.getStatus().phase).isEqualTo(SchedulePhase.Running);
        assertThat(run(runAt("busy", 2))).isNull();
        eventually(() -> assertThat(events("busy")).anyMatch(e -> e.equals("Normal RunSkipped: tick " + tick(2) + " skipped: ["
                + first.getMetadata().getName() + "] still running (concurrencyPolicy Forbid)")));

        argo.succeedKeepingBeta(first.getMetadata().getName(), 6.0, 0.5);
        awaitHistory("busy", 1);
        for (int n = 3; n <= 4; n++) {
            RLHFRun r = tickAndAwaitRun("busy", n);
            argo.succeedKeepingBeta(r.getMetadata().getName(), 6.0, 0.5);
            awaitSchedule("busy", s -> s.getStatus().active.isEmpty()
                    && s.getStatus().history.get(0).name.equals(r.getMetadata().getName()));
        }

        // historyLimit 2: the oldest finished run leaves the history and the cluster.
        RLHFSchedule s = schedule("busy");
        assertThat(s.getStatus().history).extracting(e -> e.name).containsExactly(runAt("busy", 4), runAt("busy", 3));
        await().atMost(WAIT).until(() -> run(first.getMetadata().getName()) == null);
        assertThat(runs()).extracting(r -> r.getMetadata().getName()).containsExactlyInAnyOrder(runAt("busy", 3), runAt("busy", 4));
    }

    @Test
    void replaceDeletesTheRunningRunAndStartsTheNewOne() {
        start();
        apply("eager", ConcurrencyPolicy.Replace, runSpec(6.0, 20.0), null, 10);
        RLHFRun first = tickAndAwaitRun("eager", 1);

        tickAndAwaitRun("eager", 2);

        await().atMost(WAIT).until(() -> run(first.getMetadata().getName()) == null);
        eventually(() -> assertThat(events("eager")).anyMatch(e -> e.equals("Normal RunReplaced: deleted run " + first.getMetadata().getName()
                + " (concurrencyPolicy Replace)")));
        assertThat(schedule("eager").getStatus().active).containsExactly(runAt("eager", 2));
    }

    @Test
    void anInvalidScheduleSaysWhatIsWrongAndStartsNothing() {
        start();
        RLHFRunSpec template = runSpec(6.0, 20.0);
        template.beta = dev.tether.operator.api.v1alpha1.BetaSource.of(0.3);
        RLHFSchedule s = new RLHFSchedule();
        s.getMetadata().setName("broken");
        s.getMetadata().setNamespace(NS);
        s.setSpec(new RLHFScheduleSpec());
        s.getSpec().schedule = "0 25 * * *";
        s.getSpec().timeZone = "Mars/Olympus_Mons";
        s.getSpec().betaPolicy = new BetaPolicySpec();
        s.getSpec().betaPolicy.mode = BetaMode.CARRY;
        s.getSpec().betaPolicy.initialBeta = 0.1;
        s.getSpec().betaPolicy.betaMin = 2.0;
        s.getSpec().betaPolicy.betaMax = 1.0;
        s.getSpec().runTemplate = new RunTemplate();
        s.getSpec().runTemplate.spec = template;
        client.resource(s).create();

        RLHFSchedule invalid = awaitSchedule("broken", x -> x.getStatus() != null && x.getStatus().phase == SchedulePhase.Invalid);
        assertThat(Conditions.find(invalid.getStatus().conditions, "Accepted").orElseThrow().getMessage())
                .contains("spec.timeZone: expected an IANA time zone such as Europe/Paris, got 'Mars/Olympus_Mons'")
                .contains("spec.schedule: hour: expected 0–23, got 25")
                .contains("spec.runTemplate.spec.beta: leave it out: the schedule sets β from spec.betaPolicy")
                .contains("spec.betaPolicy.betaMin: expected ≤ betaMax (1.0), got 2.0");
        eventually(() -> assertThat(events("broken")).singleElement().asString().startsWith("Warning InvalidSpec:"));
        clock.advance(Duration.ofDays(2));
        assertThat(runs()).isEmpty();
    }
}
