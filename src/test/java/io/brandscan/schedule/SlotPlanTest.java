package io.brandscan.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Firing a stored slot: not before it is due, once however many slots passed, then from now on. */
class SlotPlanTest {
    private final Schedule daily = Schedule.daily("09:00", null);

    @Test
    void aSlotInTheFutureWaits() {
        SlotPlan plan = SlotPlan.at(daily, Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-22T08:59:59Z"));
        assertFalse(plan.fire());
        assertEquals(Optional.of(Instant.parse("2026-11-22T09:00:00Z")), plan.nextSlot());
    }

    @Test
    void aDueSlotFiresAndTheNextFollows() {
        SlotPlan plan = SlotPlan.at(daily, Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-22T09:00:00Z"));
        assertTrue(plan.fire());
        assertEquals(1, plan.missedSlots());
        assertEquals(Optional.of(Instant.parse("2026-11-23T09:00:00Z")), plan.nextSlot());
    }

    @Test
    void fiveMissedSlotsFireOnceAndTheScheduleContinuesFromNow() {
        SlotPlan plan = SlotPlan.at(daily, Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-26T10:00:00Z"));
        assertTrue(plan.fire());
        assertEquals(5, plan.missedSlots());
        assertEquals(Optional.of(Instant.parse("2026-11-27T09:00:00Z")), plan.nextSlot());
    }

    @Test
    void countingMissedSlotsIsBounded() {
        Schedule everyMinute = Schedule.cron("* * * * *", null);
        SlotPlan plan = SlotPlan.at(everyMinute, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-11-22T00:00:30Z"));
        assertEquals(SlotPlan.MISSED_COUNT_CAP, plan.missedSlots());
        assertEquals(Optional.of(Instant.parse("2026-11-22T00:01:00Z")), plan.nextSlot());
        assertEquals(Optional.empty(), SlotPlan.first(Schedule.manual(), Instant.EPOCH));
    }

    @Test
    void settingsHaveDefaultsAndRefuseATimeoutNoShorterThanTheLease() {
        ScheduleSettings defaults = ScheduleSettings.fromJson(null);
        assertEquals(new ScheduleSettings(10_000, 100, "brands", 300_000, 60_000), defaults);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ScheduleSettings.fromJson(
                new io.vertx.core.json.JsonObject().put("start_lease_ms", 1000).put("start_timeout_ms", 1000)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ScheduleSettings.fromJson(
                new io.vertx.core.json.JsonObject().put("tick_ms", 0)));
    }
}
