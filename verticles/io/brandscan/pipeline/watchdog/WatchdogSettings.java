package io.brandscan.pipeline.watchdog;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The {@code watchdog} slice.
 *
 * @param interval          {@code interval_ms}: time between sweeps (10000; 0 turns the watchdog off)
 * @param staleAfter        {@code stale_after_ms}: how long a scan may sit unchanged in a
 *                          non-terminal state before the watchdog looks at it (60000)
 * @param resendAfter       {@code resend_after_ms}: how long a scan may sit unchanged in queued,
 *                          gathering or scoring before its message is sent again (300000: longer
 *                          than stale_after_ms, because a resend repeats work that may only be slow)
 * @param limit             {@code limit}: scans looked at per sweep (50)
 * @param maxGatherAttempts {@code max_gather_attempts}: gather attempts before a scan whose batch
 *                          keeps vanishing is failed (defaults to {@code gather.max_gather_attempts}, else 3)
 * @param gatherQueue       {@code gather_queue}: logical or real name of the gather queue ("gather")
 * @param aiQueue           {@code ai_queue}: logical or real name of the AI phase queue ("ai")
 */
public record WatchdogSettings(Duration interval, Duration staleAfter, Duration resendAfter, int limit, int maxGatherAttempts,
                               String gatherQueue, String aiQueue) {
    public WatchdogSettings {
        require(!interval.isNegative(), "watchdog.interval_ms must not be negative");
        require(staleAfter.toMillis() >= 1, "watchdog.stale_after_ms must be positive");
        require(resendAfter.toMillis() >= 1, "watchdog.resend_after_ms must be positive");
        require(limit >= 1 && limit <= 1000, "watchdog.limit must be in 1..1000");
        require(maxGatherAttempts >= 1 && maxGatherAttempts <= 100, "watchdog.max_gather_attempts must be in 1..100");
        require(gatherQueue != null && !gatherQueue.isBlank(), "watchdog.gather_queue must be set");
        require(aiQueue != null && !aiQueue.isBlank(), "watchdog.ai_queue must be set");
    }

    /** Reads the {@code watchdog} slice of a group configuration, with the gather slice's attempt limit as default. */
    public static WatchdogSettings fromGroup(JsonObject groupConf) {
        JsonObject c = groupConf.getJsonObject("watchdog", new JsonObject());
        int gatherAttempts = groupConf.getJsonObject("gather", new JsonObject()).getInteger("max_gather_attempts", 3);
        return new WatchdogSettings(
                Duration.ofMillis(c.getLong("interval_ms", 10_000L)),
                Duration.ofMillis(c.getLong("stale_after_ms", 60_000L)),
                Duration.ofMillis(c.getLong("resend_after_ms", 300_000L)),
                c.getInteger("limit", 50),
                c.getInteger("max_gather_attempts", gatherAttempts),
                c.getString("gather_queue", "gather"),
                c.getString("ai_queue", "ai"));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
