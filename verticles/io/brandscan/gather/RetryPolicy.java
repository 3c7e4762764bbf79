package io.brandscan.gather;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When to try a transient failure again: exponential backoff (base, 2 base, 4 base ... capped at
 * max) for at most {@code maxAttempts} attempts in total, except that a server's
 * {@code Retry-After} (seconds or an HTTP date) replaces the computed delay. A Retry-After
 * longer than {@code maxRetryAfter} means "give up now": waiting less than the server asked
 * would only burn another request, and waiting that long would hold the scan hostage. Pure.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration max, Duration maxRetryAfter) {
    public RetryPolicy {
        if (maxAttempts < 1 || base.isNegative() || max.compareTo(base) < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("retry policy needs attempts >= 1 and 0 <= base <= max");
        }
    }

    /** Whether another attempt is allowed after {@code attempt} (1-based) failed. */
    public boolean mayRetry(int attempt) {
        return attempt < maxAttempts;
    }

    /** Backoff before attempt {@code attempt + 1}. */
    public Duration backoff(int attempt) {
        int exponent = Math.max(0, Math.min(attempt - 1, 30));
        long millis = base.toMillis() << exponent;
        return millis < 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    /**
     * The delay before the next attempt given the server's {@code Retry-After} header (null when
     * absent), or empty when the server asks for longer than {@code maxRetryAfter}.
     */
    public Optional<Duration> delay(int attempt, String retryAfter, Instant now) {
        Optional<Duration> asked = parseRetryAfter(retryAfter, now);
        if (asked.isEmpty()) {
            return Optional.of(backoff(attempt));
        }
        if (asked.get().compareTo(maxRetryAfter) > 0) {
            return Optional.empty();
        }
        return asked;
    }

    /** {@code Retry-After: 120} or {@code Retry-After: Fri, 31 Dec 1999 23:59:59 GMT}; junk is ignored. */
    static Optional<Duration> parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                return Optional.of(Duration.ofDays(1));
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
