package dev.tether.operator.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron (minute hour day-of-month month day-of-week) in a time zone, as a Kubernetes
 * CronJob reads it: lists, ranges, steps, month and day names, {@code ?} for "any", the {@code @daily}
 * family, and the rule that when both day fields are restricted a day matching either one fires.
 *
 * <p>Across daylight-saving changes a tick whose local time does not exist (spring forward) fires at
 * the same wall-clock offset after the gap, and a local time that happens twice (fall back) fires once,
 * at its first occurrence.
 */
public final class CronSchedule {

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    /** Far enough for any satisfiable expression (a 29 February on a Monday recurs within 28 years). */
    private static final int SEARCH_YEARS = 30;

    private final String expression;
    private final ZoneId zone;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domRestricted;
    private final boolean dowRestricted;

    private CronSchedule(String expression, ZoneId zone, BitSet[] fields, boolean domRestricted, boolean dowRestricted) {
        this.expression = expression;
        this.zone = zone;
        this.minutes = fields[0];
        this.hours = fields[1];
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
        this.domRestricted = domRestricted;
        this.dowRestricted = dowRestricted;
    }

    /**
     * @throws IllegalArgumentException naming the field and what was expected
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("expected a cron expression, got nothing");
        }
        String expanded = MACROS.getOrDefault(expression.trim().toLowerCase(Locale.ROOT), expression.trim());
        if (expanded.startsWith("@")) {
            throw new IllegalArgumentException("unknown macro '" + expression.trim()
                    + "': expected @yearly, @monthly, @weekly, @daily or @hourly");
        }
        String[] parts = expanded.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week), got "
                    + parts.length + " in '" + expression + "'");
        }
        BitSet[] fields = {
            field("minute", parts[0], 0, 59, null),
            field("hour", parts[1], 0, 23, null),
            field("day-of-month", parts[2], 1, 31, null),
            field("month", parts[3], 1, 12, MONTHS),
            field("day-of-week", parts[4], 0, 7, DAYS)
        };
        if (fields[4].get(7)) { // 7 is Sunday too
            fields[4].set(0);
            fields[4].clear(7);
        }
        CronSchedule cron = new CronSchedule(expression.trim(), zone, fields, !isAny(parts[2]), !isAny(parts[4]));
        if (cron.next(Instant.EPOCH).isEmpty()) {
            throw new IllegalArgumentException("'" + expression + "' never fires (no such date)");
        }
        return cron;
    }

    /** The first tick strictly after {@code after}; empty only for an expression that never fires. */
    public Optional<Instant> next(Instant after) {
        LocalDateTime t = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDateTime limit = t.plusYears(SEARCH_YEARS);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                int m = minutes.nextSetBit(t.getMinute());
                t = m < 0 ? t.truncatedTo(ChronoUnit.HOURS).plusHours(1) : t.withMinute(m);
            } else {
                // ofLocal: a time in a gap moves forward by the gap; in an overlap it takes the earlier offset.
                Instant tick = ZonedDateTime.ofLocal(t, zone, null).toInstant();
                if (tick.isAfter(after)) {
                    return Optional.of(tick);
                }
                t = t.plusMinutes(1);
            }
        }
        return Optional.empty();
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }

    private boolean dayMatches(LocalDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        if (domRestricted && dowRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    private static boolean isAny(String field) {
        return field.equals("*") || field.equals("?");
    }

    private static BitSet field(String name, String text, int min, int max, String[] names) {
        BitSet bits = new BitSet(max + 1);
        for (String item : text.split(",", -1)) {
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(name, item.substring(slash + 1), 1, max, null);
            }
            int lo;
            int hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw new IllegalArgumentException(name + ": expected a range a-b, got '" + range + "'");
                }
                lo = number(name, ends[0], min, max, names);
                hi = number(name, ends[1], min, max, names);
                if (lo > hi) {
                    throw new IllegalArgumentException(name + ": range '" + range + "' runs backwards");
                }
            } else {
                lo = number(name, range, min, max, names);
                hi = slash >= 0 ? max : lo; // "5/15" means from 5 to the end, every 15
            }
            for (int v = lo; v <= hi; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String name, String text, int min, int max, String[] names) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(text)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
        }
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + ": expected " + min + "–" + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a number" + (names != null ? " or a name" : "")
                    + ", got '" + text + "'");
        }
    }
}
