package io.brandscan.queue;

import java.time.Duration;

/**
 * How long a failed message stays invisible before SQS offers it again: exponential in the
 * number of times it has been received, capped. SQS itself counts the receives and moves the
 * message to the dead-letter queue after {@code maxReceiveCount}, so no state is kept here.
 */
public record RetryBackoff(Duration base, Duration max) {
    public RetryBackoff {
        if (base == null || max == null || base.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= base <= max");
        }
        if (max.compareTo(QueueSettings.SQS_MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("backoff max cannot exceed SQS's 12 hour visibility limit");
        }
    }

    /** Delay after the {@code receiveCount}-th receive failed: base, 2 base, 4 base ... up to max. */
    public Duration after(int receiveCount) {
        int exponent = Math.max(0, Math.min(receiveCount - 1, 30));
        long millis = base.toMillis() << exponent;
        if (millis < 0 || millis > max.toMillis()) {
            return max;
        }
        return Duration.ofMillis(millis);
    }
}
