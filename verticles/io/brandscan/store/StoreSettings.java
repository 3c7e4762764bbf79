package io.brandscan.store;

import io.vertx.core.json.JsonObject;

/**
 * The bounds of the scan store, from its {@code store} configuration slice: {@code bulk_chunk}
 * (500) documents per bulk write, {@code failures_kept} (1000) failures kept on a scan beside the
 * total, {@code page_max} (500) items per page of scans, listings or findings,
 * {@code events_page_max} (1000) events per read.
 */
public record StoreSettings(int bulkChunk, int failuresKept, int pageMax, int eventsPageMax) {
    public static final StoreSettings DEFAULTS = new StoreSettings(500, 1000, 500, 1000);

    public StoreSettings {
        requireRange("bulk_chunk", bulkChunk, 1, 10_000);
        requireRange("failures_kept", failuresKept, 1, 100_000);
        requireRange("page_max", pageMax, 1, 10_000);
        requireRange("events_page_max", eventsPageMax, 1, 100_000);
    }

    public static StoreSettings from(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        return new StoreSettings(
                c.getInteger("bulk_chunk", DEFAULTS.bulkChunk),
                c.getInteger("failures_kept", DEFAULTS.failuresKept),
                c.getInteger("page_max", DEFAULTS.pageMax),
                c.getInteger("events_page_max", DEFAULTS.eventsPageMax));
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
