package dev.tether.operator.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which cron tick is due now, as a CronJob decides it: of the ticks after the last one handled, only
 * the latest is started, however many were missed (the operator was down, the schedule suspended),
 * and only while it is at most {@code startingDeadlineSeconds} old.
 */
public final class TickPlanner {

    /** How far back missed ticks are looked for at most; a schedule idle that long starts afresh. */
    static final Duration LOOK_BACK = Duration.ofDays(400);

    public enum Kind {
        /** No tick since the last one handled. */
        WAIT,
        /** {@link Plan#tick} is due: start a run for it. */
        START,
        /** {@link Plan#tick} passed its starting deadline: record it as missed, start nothing. */
        MISSED
    }

    /**
     * @param tick the due (or missed) tick; null when waiting
     * @param skippedBefore how many older ticks were passed over in favour of {@code tick}
     * @param next the first tick after now
     */
    public record Plan(Kind kind, Instant tick, int skippedBefore, Instant next) {
    }

    private TickPlanner() {
    }

    /**
     * @param lastHandled the last tick a run was started, skipped or missed for; null if none yet
     * @param created when the schedule was created (ticks before it never count)
     * @param startingDeadlineSeconds null for no deadline
     */
    public static Plan plan(CronSchedule cron, Instant now, Instant lastHandled, Instant created, Long startingDeadlineSeconds) {
        Instant from = lastHandled != null ? lastHandled : created;
        Instant searchFrom = from.isAfter(now.minus(LOOK_BACK)) ? from : now.minus(LOOK_BACK);
        Instant latest = null;
        int count = 0;
        Optional<Instant> t = cron.next(searchFrom);
        while (t.isPresent() && !t.get().isAfter(now)) {
            latest = t.get();
            count++;
            t = cron.next(latest);
        }
        Instant next = t.orElse(null);
        if (latest == null) {
            return new Plan(Kind.WAIT, null, 0, next);
        }
        boolean tooLate = startingDeadlineSeconds != null
                && Duration.between(latest, now).getSeconds() > startingDeadlineSeconds;
        return new Plan(tooLate ? Kind.MISSED : Kind.START, latest, count - 1, next);
    }
}
