package io.brandscan.schedule;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a brand's scans run: manual (never on its own), daily at a time, weekly on a day at a
 * time, or by a cron expression, in a time zone (UTC unless given). Owns the one question the
 * scheduler asks: the next slot strictly after an instant. Daily and weekly are cron expressions
 * underneath, so all three share one search. Pure and immutable; built by named factories that
 * validate and name the bad field.
 *
 * <p>Local times that a daylight-saving change skips run at the first instant after the gap;
 * times a change repeats run once, at the earlier offset.
 */
public final class Schedule {
    /** The {@code type} values of a brand's {@code schedule}. */
    public enum Type {
        MANUAL, DAILY, WEEKLY, CRON;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern AT = Pattern.compile("(\\d{1,2}):(\\d{2})");
    /** A safety bound for the DST loop in {@link #nextAfter}: a few iterations ever happen. */
    private static final int MAX_ZONE_RETRIES = 8;

    private final Type type;
    private final CronExpression cron;
    private final ZoneId zone;
    private final String description;

    private Schedule(Type type, CronExpression cron, ZoneId zone, String description) {
        this.type = type;
        this.cron = cron;
        this.zone = zone;
        this.description = description;
    }

    /** No automatic runs: scans only when asked for. */
    public static Schedule manual() {
        return new Schedule(Type.MANUAL, null, ZoneOffset.UTC, "manual");
    }

    /** Every day at {@code at} ("HH:MM", 24-hour) in {@code zone} (null for UTC). */
    public static Schedule daily(String at, String zone) {
        LocalTime time = time(at);
        ZoneId z = zone(zone);
        CronExpression cron = CronExpression.parse(time.getMinute() + " " + time.getHour() + " * * *", "schedule");
        return new Schedule(Type.DAILY, cron, z, "daily at " + time + " " + z);
    }

    /** Every week on {@code day} ("monday" or "mon", any case) at {@code at} in {@code zone}. */
    public static Schedule weekly(String day, String at, String zone) {
        DayOfWeek dow = day(day);
        LocalTime time = time(at);
        ZoneId z = zone(zone);
        CronExpression cron = CronExpression.parse(time.getMinute() + " " + time.getHour() + " * * " + (dow.getValue() % 7),
                "schedule");
        return new Schedule(Type.WEEKLY, cron, z, "weekly on " + dow.name().toLowerCase(Locale.ROOT) + " at " + time + " " + z);
    }

    /** By a five-field cron expression in {@code zone}; errors name {@code schedule.expression.<field>}. */
    public static Schedule cron(String expression, String zone) {
        CronExpression cron = CronExpression.parse(expression, "schedule.expression");
        ZoneId z = zone(zone);
        return new Schedule(Type.CRON, cron, z, "cron '" + cron.text() + "' " + z);
    }

    public Type type() {
        return type;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The cron expression underneath, empty for manual. */
    public Optional<CronExpression> cron() {
        return Optional.ofNullable(cron);
    }

    /** True when the scheduler ever fires this schedule. */
    public boolean fires() {
        return cron != null;
    }

    /** The first slot strictly after {@code after}; empty for manual. */
    public Optional<Instant> nextAfter(Instant after) {
        if (cron == null) {
            return Optional.empty();
        }
        LocalDateTime local = LocalDateTime.ofInstant(after, zone);
        for (int i = 0; i < MAX_ZONE_RETRIES; i++) {
            Optional<LocalDateTime> candidate = cron.nextAfter(local);
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            // ofLocal moves a time in a DST gap forward and picks the earlier offset in an overlap.
            Instant slot = ZonedDateTime.ofLocal(candidate.get(), zone, null).toInstant();
            if (slot.isAfter(after)) {
                return Optional.of(slot);
            }
            local = candidate.get();
        }
        return Optional.empty();
    }

    private static LocalTime time(String at) {
        if (at == null) {
            throw new InvalidScheduleException("schedule.at", "is required, as HH:MM (24-hour)");
        }
        Matcher m = AT.matcher(at);
        if (!m.matches()) {
            throw new InvalidScheduleException("schedule.at", "'" + at + "' is not HH:MM (24-hour)");
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = Integer.parseInt(m.group(2));
        if (hour > 23 || minute > 59) {
            throw new InvalidScheduleException("schedule.at", "'" + at + "' is not a time of day (00:00-23:59)");
        }
        return LocalTime.of(hour, minute);
    }

    private static DayOfWeek day(String day) {
        if (day == null) {
            throw new InvalidScheduleException("schedule.day", "is required (monday..sunday)");
        }
        String d = day.trim().toLowerCase(Locale.ROOT);
        for (DayOfWeek dow : DayOfWeek.values()) {
            String name = dow.name().toLowerCase(Locale.ROOT);
            if (name.equals(d) || name.substring(0, 3).equals(d)) {
                return dow;
            }
        }
        throw new InvalidScheduleException("schedule.day", "'" + day + "' is not a day of the week (monday..sunday)");
    }

    private static ZoneId zone(String zone) {
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new InvalidScheduleException("schedule.zone", "'" + zone + "' is not a time zone id (e.g. UTC, Europe/Paris)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule s && s.description.equals(description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(description);
    }

    @Override
    public String toString() {
        return description;
    }
}
