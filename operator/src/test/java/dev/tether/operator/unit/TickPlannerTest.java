package dev.tether.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.operator.schedule.CronSchedule;
import dev.tether.operator.schedule.TickPlanner;
import dev.tether.operator.schedule.TickPlanner.Kind;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TickPlannerTest {
    private static final CronSchedule HOURLY = CronSchedule.parse("0 * * * *", ZoneOffset.UTC);
    private static final Instant CREATED = Instant.parse("2026-03-10T09:20:00Z");

    @Test
    void beforeTheFirstTickItWaitsAndSaysWhen() {
        TickPlanner.Plan plan = TickPlanner.plan(HOURLY, Instant.parse("2026-03-10T09:59:00Z"), null, CREATED, null);
        assertThat(plan.kind()).isEqualTo(Kind.WAIT);
        assertThat(plan.next()).isEqualTo("2026-03-10T10:00:00Z");
    }

    @Test
    void aDueTickStartsOnceAndNotAgainAfterItIsHandled() {
        Instant now = Instant.parse("2026-03-10T10:00:07Z");
        TickPlanner.Plan plan = TickPlanner.plan(HOURLY, now, null, CREATED, null);
        assertThat(plan.kind()).isEqualTo(Kind.START);
        assertThat(plan.tick()).isEqualTo("2026-03-10T10:00:00Z");
        assertThat(plan.skippedBefore()).isZero();
        assertThat(plan.next()).isEqualTo("2026-03-10T11:00:00Z");

        assertThat(TickPlanner.plan(HOURLY, now, plan.tick(), CREATED, null).kind()).isEqualTo(Kind.WAIT);
    }

    @Test
    void afterAnOutageOnlyTheLatestMissedTickStarts() {
        Instant now = Instant.parse("2026-03-10T14:10:00Z");
        TickPlanner.Plan plan = TickPlanner.plan(HOURLY, now, Instant.parse("2026-03-10T10:00:00Z"), CREATED, null);
        assertThat(plan.kind()).isEqualTo(Kind.START);
        assertThat(plan.tick()).isEqualTo("2026-03-10T14:00:00Z");
        assertThat(plan.skippedBefore()).isEqualTo(3); // 11:00, 12:00, 13:00
    }

    @Test
    void aTickOlderThanTheStartingDeadlineIsMissedNotStarted() {
        Instant last = Instant.parse("2026-03-10T10:00:00Z");
        TickPlanner.Plan within = TickPlanner.plan(HOURLY, Instant.parse("2026-03-10T11:09:59Z"), last, CREATED, 600L);
        assertThat(within.kind()).isEqualTo(Kind.START);
        TickPlanner.Plan late = TickPlanner.plan(HOURLY, Instant.parse("2026-03-10T11:10:01Z"), last, CREATED, 600L);
        assertThat(late.kind()).isEqualTo(Kind.MISSED);
        assertThat(late.tick()).isEqualTo("2026-03-10T11:00:00Z");
        assertThat(late.next()).isEqualTo("2026-03-10T12:00:00Z");
    }

    @Test
    void ticksBeforeTheScheduleExistedNeverCount() {
        TickPlanner.Plan plan = TickPlanner.plan(HOURLY, Instant.parse("2026-03-10T09:30:00Z"), null, CREATED, null);
        assertThat(plan.kind()).isEqualTo(Kind.WAIT);
    }
}
