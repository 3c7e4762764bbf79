package io.brandscan.schedule;

import io.vertx.core.json.JsonObject;

/**
 * The {@code schedule} configuration slice. Keys and defaults: {@code tick_ms} (10000: how often
 * each scheduler looks for due slots; a slot fires at most this late), {@code batch_size} (100:
 * due brands handled per tick, the rest on the next), {@code brands_collection} ("brands"),
 * {@code start_lease_ms} (300000: a claimed slot whose start was not recorded within this time is
 * started again by another scheduler, with the same scan id), {@code start_timeout_ms} (60000,
 * shorter than the lease: a tick stops waiting for a starter after this long and leaves the slot
 * to the lease, so a hung starter cannot stop the scheduler).
 */
public record ScheduleSettings(long tickMs, int batchSize, String brandsCollection, long startLeaseMs, long startTimeoutMs) {
    public ScheduleSettings {
        if (tickMs < 1 || batchSize < 1 || startLeaseMs < 1 || startTimeoutMs < 1 || brandsCollection == null
                || brandsCollection.isBlank()) {
            throw new IllegalArgumentException("schedule: tick_ms, batch_size, start_lease_ms and start_timeout_ms must be "
                    + ">= 1 and brands_collection set");
        }
        if (startTimeoutMs >= startLeaseMs) {
            // Otherwise a start still legitimately running could be taken over and run twice.
            throw new IllegalArgumentException("schedule: start_timeout_ms must be shorter than start_lease_ms");
        }
    }

    public static ScheduleSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        return new ScheduleSettings(c.getLong("tick_ms", 10_000L), c.getInteger("batch_size", 100),
                c.getString("brands_collection", "brands"), c.getLong("start_lease_ms", 300_000L),
                c.getLong("start_timeout_ms", 60_000L));
    }
}
