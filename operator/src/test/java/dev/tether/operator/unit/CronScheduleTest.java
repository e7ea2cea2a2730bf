package dev.tether.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.operator.schedule.CronSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static Instant next(String cron, ZoneId zone, String after) {
        return CronSchedule.parse(cron, zone).next(Instant.parse(after)).orElseThrow();
    }

    @Test
    void nextTickIsStrictlyAfterTheGivenInstant() {
        assertThat(next("0 3 * * *", UTC, "2026-03-10T02:59:59Z")).isEqualTo("2026-03-10T03:00:00Z");
        assertThat(next("0 3 * * *", UTC, "2026-03-10T03:00:00Z")).isEqualTo("2026-03-11T03:00:00Z");
        assertThat(next("*/15 * * * *", UTC, "2026-03-10T10:07:00Z")).isEqualTo("2026-03-10T10:15:00Z");
        assertThat(next("5/20 * * * *", UTC, "2026-03-10T10:26:00Z")).isEqualTo("2026-03-10T10:45:00Z");
    }

    @Test
    void rangesListsNamesAndMacros() {
        // Weekdays at 9 and 17; 2026-03-13 is a Friday.
        assertThat(next("0 9,17 * * MON-FRI", UTC, "2026-03-13T17:00:00Z")).isEqualTo("2026-03-16T09:00:00Z");
        assertThat(next("30 4 1 jan,jul *", UTC, "2026-02-01T00:00:00Z")).isEqualTo("2026-07-01T04:30:00Z");
        assertThat(next("@daily", UTC, "2026-03-10T12:00:00Z")).isEqualTo("2026-03-11T00:00:00Z");
        assertThat(next("@weekly", UTC, "2026-03-10T12:00:00Z")).isEqualTo("2026-03-15T00:00:00Z"); // Sunday
        assertThat(next("0 0 * * 7", UTC, "2026-03-10T12:00:00Z")).as("7 is Sunday too").isEqualTo("2026-03-15T00:00:00Z");
        assertThat(next("@hourly", UTC, "2026-03-10T12:00:00Z")).isEqualTo("2026-03-10T13:00:00Z");
    }

    @Test
    void whenBothDayFieldsAreRestrictedEitherMatches() {
        // The 13th, or any Monday: from Tuesday 2026-03-10 the 13th (Friday) comes before Monday the 16th.
        assertThat(next("0 0 13 * MON", UTC, "2026-03-10T00:00:00Z")).isEqualTo("2026-03-13T00:00:00Z");
        assertThat(next("0 0 13 * MON", UTC, "2026-03-13T00:00:00Z")).isEqualTo("2026-03-16T00:00:00Z");
        // With one day field "*", the other alone decides.
        assertThat(next("0 0 13 * *", UTC, "2026-03-13T00:00:00Z")).isEqualTo("2026-04-13T00:00:00Z");
    }

    @Test
    void aTimeZoneShiftsTicksAndDaylightSavingNeitherLosesNorDoublesOne() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertThat(next("0 3 * * *", paris, "2026-01-10T00:00:00Z")).isEqualTo("2026-01-10T02:00:00Z"); // UTC+1
        // 2026-03-29: 02:00 jumps to 03:00 in Paris; 02:30 does not exist and fires at 03:30 local (01:30 UTC).
        assertThat(next("30 2 * * *", paris, "2026-03-28T12:00:00Z")).isEqualTo("2026-03-29T01:30:00Z");
        // 2026-10-25: 02:30 happens twice; it fires once, at the first (00:30 UTC), then the next day.
        Instant first = next("30 2 * * *", paris, "2026-10-24T12:00:00Z");
        assertThat(first).isEqualTo("2026-10-25T00:30:00Z");
        assertThat(CronSchedule.parse("30 2 * * *", paris).next(first).orElseThrow()).isEqualTo("2026-10-26T01:30:00Z");
    }

    @Test
    void aWrongExpressionNamesTheFieldAndWhatWasExpected() {
        assertThatThrownBy(() -> CronSchedule.parse("0 25 * * *", UTC)).hasMessage("hour: expected 0–23, got 25");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * *", UTC))
                .hasMessage("expected 5 fields (minute hour day-of-month month day-of-week), got 4 in '0 3 * *'");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * FOO *", UTC)).hasMessage("month: expected a number or a name, got 'FOO'");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 10-2 * *", UTC)).hasMessage("day-of-month: range '10-2' runs backwards");
        assertThatThrownBy(() -> CronSchedule.parse("@fortnightly", UTC)).hasMessageStartingWith("unknown macro '@fortnightly'");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 30 2 *", UTC)).hasMessage("'0 0 30 2 *' never fires (no such date)");
    }
}
