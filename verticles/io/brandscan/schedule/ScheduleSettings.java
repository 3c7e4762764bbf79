package io.brandscan.schedule;

import io.vertx.core.json.JsonObject;

/**
 * The {@code schedule} configuration slice. Keys and defaults: {@code tick_ms} (10000: how often
 * each scheduler looks for due slots; a slot fires at most this late), {@code batch_size} (100:
 * due brands handled per tick, the rest on the next), {@code brands_collection} ("brands").
 */
public record ScheduleSettings(long tickMs, int batchSize, String brandsCollection) {
    public ScheduleSettings {
        if (tickMs < 1 || batchSize < 1 || brandsCollection == null || brandsCollection.isBlank()) {
            throw new IllegalArgumentException("schedule: tick_ms and batch_size must be >= 1 and brands_collection set");
        }
    }

    public static ScheduleSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        return new ScheduleSettings(c.getLong("tick_ms", 10_000L), c.getInteger("batch_size", 100),
                c.getString("brands_collection", "brands"));
    }
}
