package io.brandscan.gather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.time.SettableClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The token bucket driven by a settable clock: burst, refill, reservations and the wait bound. */
class TokenBucketTest {
    private final SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");
    private final Duration maxWait = Duration.ofSeconds(10);

    @Test
    void aBurstGoesAtOnceThenWaitsGrowByOneInterval() {
        TokenBucket bucket = new TokenBucket(new RateLimit(60, 3), clock.instant());

        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.of(Duration.ZERO), bucket.reserve(clock.instant(), maxWait), "burst " + i);
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), bucket.reserve(clock.instant(), maxWait));
        assertEquals(Optional.of(Duration.ofSeconds(2)), bucket.reserve(clock.instant(), maxWait));
    }

    @Test
    void tokensComeBackWithTimeButNeverBeyondTheBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(60, 2), clock.instant());
        bucket.reserve(clock.instant(), maxWait);
        bucket.reserve(clock.instant(), maxWait);

        clock.advanceMillis(1500);
        assertEquals(1.5, bucket.available(clock.instant()), 1e-9);
        clock.advance(Duration.ofHours(1));
        assertEquals(2.0, bucket.available(clock.instant()), 1e-9);
    }

    @Test
    void aWaitBeyondTheBoundReservesNothing() {
        TokenBucket bucket = new TokenBucket(new RateLimit(6, 1), clock.instant());
        bucket.reserve(clock.instant(), maxWait);

        assertEquals(Optional.of(Duration.ofSeconds(10)), bucket.reserve(clock.instant(), maxWait));
        assertEquals(Optional.empty(), bucket.reserve(clock.instant(), maxWait));
        assertEquals(-1.0, bucket.available(clock.instant()), 1e-9, "the refused reservation was not kept");

        clock.advanceMillis(10_000);
        assertEquals(Optional.of(Duration.ofSeconds(10)), bucket.reserve(clock.instant(), maxWait),
                "the first 10 s paid the earlier reservation");
        clock.advanceMillis(20_000);
        assertEquals(Optional.of(Duration.ZERO), bucket.reserve(clock.instant(), maxWait));
    }

    @Test
    void releaseGivesAReservationBack() {
        TokenBucket bucket = new TokenBucket(new RateLimit(60, 1), clock.instant());
        bucket.reserve(clock.instant(), maxWait);
        bucket.release();
        assertEquals(Optional.of(Duration.ZERO), bucket.reserve(clock.instant(), maxWait));
    }

    @Test
    void nonsenseLimitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(10, 0));
        assertTrue(new RateLimit(0.5, 1).perMinute() > 0);
    }
}
