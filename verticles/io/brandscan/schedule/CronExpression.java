package io.brandscan.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A standard five-field cron expression ({@code minute hour day-of-month month day-of-week}) and
 * the search for the next matching local minute. Owns cron's one odd rule: when both
 * day-of-month and day-of-week are restricted (neither starts with {@code *}), a day matches if
 * either does, as in Vixie cron. Also accepts the macros {@code @yearly}, {@code @annually},
 * {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight} and {@code @hourly}.
 * Pure and immutable; time zones are the caller's business ({@link Schedule}).
 */
public final class CronExpression {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    /** Long enough to reach a 29 February across a skipped leap year (2096 to 2104). */
    private static final int SEARCH_YEARS = 9;

    private final String text;
    private final CronField minute;
    private final CronField hour;
    private final CronField dayOfMonth;
    private final CronField month;
    private final CronField dayOfWeek;

    private CronExpression(String text, CronField[] fields) {
        this.text = text;
        this.minute = fields[0];
        this.hour = fields[1];
        this.dayOfMonth = fields[2];
        this.month = fields[3];
        this.dayOfWeek = fields[4];
    }

    /** Parses with errors naming {@code schedule.expression.<field>}. */
    public static CronExpression parse(String text) {
        return parse(text, "schedule.expression");
    }

    /**
     * Parses {@code text}; a mistake throws an {@link InvalidScheduleException} whose field is
     * {@code fieldPath} (a wrong field count) or {@code fieldPath.<cron field>}.
     */
    public static CronExpression parse(String text, String fieldPath) {
        if (text == null || text.isBlank()) {
            throw new InvalidScheduleException(fieldPath, "is required (five fields: minute hour day_of_month month day_of_week)");
        }
        String trimmed = text.trim();
        String expanded = MACROS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
        if (expanded.startsWith("@")) {
            throw new InvalidScheduleException(fieldPath, "unknown macro '" + trimmed + "'");
        }
        String[] parts = expanded.split("\\s+");
        if (parts.length != 5) {
            throw new InvalidScheduleException(fieldPath, "needs 5 fields (minute hour day_of_month month day_of_week), got "
                    + parts.length);
        }
        CronField.Kind[] kinds = CronField.Kind.values();
        CronField[] fields = new CronField[5];
        for (int i = 0; i < 5; i++) {
            fields[i] = CronField.parse(kinds[i], parts[i], fieldPath + ".");
        }
        CronExpression cron = new CronExpression(trimmed, fields);
        cron.requireReachableDay(fieldPath);
        return cron;
    }

    /** The expression as written (macros unexpanded). */
    public String text() {
        return text;
    }

    /**
     * The first minute strictly after {@code after} that matches, or empty if none within nine
     * years (which {@link #parse} already rules out).
     */
    public Optional<LocalDateTime> nextAfter(LocalDateTime after) {
        LocalDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDateTime limit = t.plusYears(SEARCH_YEARS);
        // Skip whole months, days and hours that cannot match: a few hundred steps at most.
        while (t.isBefore(limit)) {
            if (!month.has(t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
            } else if (!dayMatches(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!hour.has(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minute.has(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = dayOfMonth.has(date.getDayOfMonth());
        boolean dow = dayOfWeek.has(date.getDayOfWeek().getValue() % 7);
        if (dayOfMonth.star() || dayOfWeek.star()) {
            return dom && dow;
        }
        return dom || dow;
    }

    /** Refuses "30 February" and the like, which would never fire, naming day_of_month. */
    private void requireReachableDay(String fieldPath) {
        if (dayOfMonth.star() || !dayOfWeek.star()) {
            return; // day-of-week alone (or OR-ed in) always reaches some day
        }
        for (int m = 1; m <= 12; m++) {
            if (!month.has(m)) {
                continue;
            }
            int length = YearMonth.of(2024, m).lengthOfMonth(); // a leap year: 29 February counts
            for (int d = 1; d <= length; d++) {
                if (dayOfMonth.has(d)) {
                    return;
                }
            }
        }
        throw new InvalidScheduleException(fieldPath + ".day_of_month", "no selected day exists in any selected month");
    }

    @Override
    public String toString() {
        return text;
    }
}
