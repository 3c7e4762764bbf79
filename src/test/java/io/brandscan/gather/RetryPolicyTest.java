package io.brandscan.gather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Backoff and Retry-After, with time passed in. */
class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(1000), Duration.ofMillis(5000),
            Duration.ofSeconds(60));

    @Test
    void backoffDoublesUpToItsCap() {
        assertEquals(Duration.ofMillis(1000), policy.backoff(1));
        assertEquals(Duration.ofMillis(2000), policy.backoff(2));
        assertEquals(Duration.ofMillis(4000), policy.backoff(3));
        assertEquals(Duration.ofMillis(5000), policy.backoff(4));
        assertEquals(Duration.ofMillis(5000), policy.backoff(40));
    }

    @Test
    void attemptsAreBounded() {
        assertTrue(policy.mayRetry(3));
        assertFalse(policy.mayRetry(4));
    }

    @Test
    void retryAfterInSecondsOrAsADateWins() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), policy.delay(1, "7", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(30)), policy.delay(1, "Sun, 22 Nov 2026 10:00:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), policy.delay(1, "Sun, 22 Nov 2026 09:00:00 GMT", NOW));
    }

    @Test
    void junkRetryAfterFallsBackToBackoffAndTooLongMeansGiveUp() {
        assertEquals(Optional.of(Duration.ofMillis(2000)), policy.delay(2, "soon", NOW));
        assertEquals(Optional.of(Duration.ofMillis(2000)), policy.delay(2, null, NOW));
        assertEquals(Optional.empty(), policy.delay(1, "61", NOW));
        assertEquals(Optional.empty(), policy.delay(1, "99999999999999999999999", NOW));
    }

    @Test
    void nonsenseSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ZERO));
    }
}
