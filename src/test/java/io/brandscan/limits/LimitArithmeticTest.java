package io.brandscan.limits;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the limits: UTC periods, token-bucket reservations, decisions. */
class LimitArithmeticTest {
    @Test
    void periodsAreUtcCalendarDaysAndMonths() {
        Instant lateOnTheLastDay = Instant.parse("2026-12-31T23:30:00Z");
        assertEquals("2026-12-31", UsagePeriod.DAY.key(lateOnTheLastDay));
        assertEquals("2026-12", UsagePeriod.MONTH.key(lateOnTheLastDay));
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), UsagePeriod.DAY.nextStart(lateOnTheLastDay));
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), UsagePeriod.MONTH.nextStart(lateOnTheLastDay));
        assertEquals(1800, UsagePeriod.MONTH.secondsUntilNext(lateOnTheLastDay));
        assertEquals(Instant.parse("2028-03-01T00:00:00Z"), UsagePeriod.MONTH.nextStart(Instant.parse("2028-02-29T12:00:00Z")),
                "a leap February");
        assertEquals(86_400, UsagePeriod.DAY.secondsUntilNext(Instant.parse("2026-11-22T00:00:00Z")), "a whole day at midnight");
        assertEquals(1, UsagePeriod.DAY.secondsUntilNext(Instant.parse("2026-11-22T23:59:59.999Z")));
        assertEquals("acme|day|2026-11-22", UsageCounters.id("acme", UsagePeriod.DAY, Instant.parse("2026-11-22T10:00:00Z")));
    }

    @Test
    void aBucketReservesAheadAndRefusesPastTheMaximumWait() {
        long t0 = 1_000_000;
        BucketState bucket = BucketState.full(2, t0);
        // 60 per minute: one token a second.
        BucketState.Reservation first = bucket.reserve(60, 2, t0, 0).orElseThrow();
        BucketState.Reservation second = first.next().reserve(60, 2, t0, 0).orElseThrow();
        assertEquals(0, first.waitMillis());
        assertEquals(0, second.waitMillis());
        assertTrue(second.next().reserve(60, 2, t0, 999).isEmpty(), "the next token is 1000 ms away");
        BucketState.Reservation third = second.next().reserve(60, 2, t0, 1000).orElseThrow();
        assertEquals(1000, third.waitMillis());
        assertEquals(-1.0, third.next().tokens(), 1e-9, "a reservation ahead leaves the bucket negative");
        assertEquals(2000, third.next().millisUntilFree(60, 2, t0));
        assertEquals(0, third.next().millisUntilFree(60, 2, t0 + 2000));
        assertEquals(2.0, third.next().refilled(60, 2, t0 + 60_000).tokens(), 1e-9, "refill stops at the burst");
        assertEquals(third.next(), third.next().refilled(60, 2, t0 - 5000), "a clock behind the stored one refills nothing");
        assertEquals(2.0, new BucketState(3.0, t0).refilled(60, 2, t0).tokens(), 1e-9, "an over-refunded bucket is capped");
        assertEquals(Optional.empty(), new BucketState(0, t0).reserve(0, 1, t0 + 60_000, Long.MAX_VALUE), "no rate, no refill");
    }

    @Test
    void decisionsCarryTheirLimitAndARetryAfterOfAtLeastOneSecond() {
        LimitDecision refused = LimitDecision.refuse(LimitKind.SCANS_PER_DAY, 3, "no more today", 0);
        assertFalse(refused.allowed());
        assertEquals(1, refused.retryAfterSeconds());
        assertEquals("scans_per_day", refused.errorBody().getString("limit"));
        assertEquals("limit_exceeded", refused.errorBody().getString("error"));
        assertEquals(3, refused.errorBody().getLong("limit_value"));
        assertTrue(LimitDecision.allow().allowed());
        assertTrue(LimitDecision.allow().errorBody().isEmpty());
        assertThrows(NullPointerException.class, () -> LimitDecision.refuse(null, 1, "x", 5));
        assertThrows(IllegalArgumentException.class, () -> new ClientLimits(-1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ClientLimits(1, 1, 0, 1, 1));
    }
}
