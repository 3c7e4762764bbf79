package io.brandscan.limits;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The UTC calendar periods that scans are counted in: a day and a month. Owns each period's key
 * (the part of a usage counter's id that changes when the period does, so a new day simply starts
 * a new counter and nothing has to be reset) and the seconds until the next period starts, which
 * is what a refused caller is told to wait. Pure.
 */
public enum UsagePeriod {
    DAY, MONTH;

    /** {@code 2026-11-22} for a day, {@code 2026-11} for a month. */
    public String key(Instant now) {
        LocalDate date = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return this == DAY ? date.toString() : date.toString().substring(0, 7);
    }

    /** The instant the next period starts. */
    public Instant nextStart(Instant now) {
        LocalDate date = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate next = this == DAY ? date.plusDays(1) : date.withDayOfMonth(1).plusMonths(1);
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Whole seconds until the next period starts, rounded up, at least 1. */
    public long secondsUntilNext(Instant now) {
        long millis = ChronoUnit.MILLIS.between(now, nextStart(now));
        return Math.max(1, (millis + 999) / 1000);
    }

    /** When a counter for the period of {@code now} can be deleted: a day after the period ends. */
    public Instant expiresAfter(Instant now) {
        return nextStart(now).plus(1, ChronoUnit.DAYS);
    }
}
