package io.brandscan.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * What the scheduler does with a brand's stored next slot at a given instant: nothing yet (not
 * due), or fire it once and move the next slot to the first one after now. Moving from now and
 * not from the fired slot is what makes a scheduler that was down across five slots fire once,
 * not five times. Pure.
 *
 * @param fire        whether the stored slot is due and fires now
 * @param nextSlot    the slot to store next (empty: the schedule never fires again)
 * @param missedSlots how many slots the one firing stands for (1 normally; more after downtime,
 *                    counted up to {@link #MISSED_COUNT_CAP})
 */
public record SlotPlan(boolean fire, Optional<Instant> nextSlot, int missedSlots) {
    /** Counting missed slots walks the schedule: bounded so a minutely cron after a long outage stays cheap. */
    public static final int MISSED_COUNT_CAP = 1000;

    /** The first slot of a newly planned schedule: the first strictly after now. */
    public static Optional<Instant> first(Schedule schedule, Instant now) {
        return schedule.nextAfter(now);
    }

    /** The plan for {@code stored}, the brand's next slot, at {@code now}. */
    public static SlotPlan at(Schedule schedule, Instant stored, Instant now) {
        if (stored.isAfter(now)) {
            return new SlotPlan(false, Optional.of(stored), 0);
        }
        int missed = 1;
        Optional<Instant> t = schedule.nextAfter(stored);
        while (t.isPresent() && !t.get().isAfter(now) && missed < MISSED_COUNT_CAP) {
            missed++;
            t = schedule.nextAfter(t.get());
        }
        return new SlotPlan(true, schedule.nextAfter(now), missed);
    }
}
