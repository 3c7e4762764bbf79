package io.brandscan.push;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The push tier's bounds, from its {@code push} configuration slice (defaults in brackets):
 * {@code host} (0.0.0.0), {@code port} (8090), {@code max_events_per_second} (4) per scan on a
 * client's bridge address, {@code max_tracked_scans} (10000) scans the coalescer remembers,
 * {@code write_queue_max_bytes} (65536) per SSE response or SockJS socket before the connection
 * counts as slow and is dropped, {@code max_pending_events} (1000) events an SSE stream holds
 * while it catches up or waits for a missing sequence, {@code catchup_page} (500) events per
 * storage read, {@code heartbeat_ms} (15000), {@code gap_wait_ms} (2000) before a missing
 * sequence is re-read and then skipped, {@code reread_window} (16) sequences re-read before a
 * reconnecting client's last id (to learn whether it already has the terminal event) and the
 * horizon of appends that may still be in flight (a hole with more stored events than this after
 * it is skipped at once during catch-up), {@code max_streams} (10000) open SSE streams per verticle,
 * {@code max_handlers_per_socket} (4), {@code ping_timeout_ms} (30000) and
 * {@code session_timeout_ms} (10000) for the bridge, {@code jwt_secret} (none: required, at
 * least 32 bytes), {@code admin_token} (none) and {@code allow_origin} (*: the SSE endpoint answers
 * CORS for any origin, so a dashboard served by the api group on another port or host can open an
 * EventSource here; safe because the token travels in the URL, never in cookies; set one origin,
 * e.g. {@code https://dash.example.com}, to narrow it).
 */
public record PushSettings(String host, int port, int maxEventsPerSecond, int maxTrackedScans,
                           int writeQueueMaxBytes, int maxPendingEvents, int catchupPage, long heartbeatMs,
                           long gapWaitMs, int rereadWindow, int maxStreams, int maxHandlersPerSocket,
                           long pingTimeoutMs, long sessionTimeoutMs, String jwtSecret, String adminToken,
                           String allowOrigin) {

    public PushSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("push.host is required");
        }
        range("port", port, -1, 65535);
        range("max_events_per_second", maxEventsPerSecond, 1, 1000);
        range("max_tracked_scans", maxTrackedScans, 1, 10_000_000);
        range("write_queue_max_bytes", writeQueueMaxBytes, 1024, 64 * 1024 * 1024);
        range("max_pending_events", maxPendingEvents, 1, 1_000_000);
        range("catchup_page", catchupPage, 1, 100_000);
        range("heartbeat_ms", heartbeatMs, 100, 3_600_000);
        range("gap_wait_ms", gapWaitMs, 1, 600_000);
        range("reread_window", rereadWindow, 0, 10_000);
        range("max_streams", maxStreams, 1, 10_000_000);
        range("max_handlers_per_socket", maxHandlersPerSocket, 1, 1000);
        range("ping_timeout_ms", pingTimeoutMs, 1000, 3_600_000);
        range("session_timeout_ms", sessionTimeoutMs, 1000, 3_600_000);
        allowOrigin = allowOrigin == null || allowOrigin.isBlank() ? "*" : allowOrigin.trim();
    }

    public static PushSettings from(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        return new PushSettings(
                c.getString("host", "0.0.0.0"),
                c.getInteger("port", 8090),
                c.getInteger("max_events_per_second", 4),
                c.getInteger("max_tracked_scans", 10_000),
                c.getInteger("write_queue_max_bytes", 65_536),
                c.getInteger("max_pending_events", 1000),
                c.getInteger("catchup_page", 500),
                c.getLong("heartbeat_ms", 15_000L),
                c.getLong("gap_wait_ms", 2000L),
                c.getInteger("reread_window", 16),
                c.getInteger("max_streams", 10_000),
                c.getInteger("max_handlers_per_socket", 4),
                c.getLong("ping_timeout_ms", 30_000L),
                c.getLong("session_timeout_ms", 10_000L),
                blankToNull(c.getString("jwt_secret")),
                blankToNull(c.getString("admin_token")),
                c.getString("allow_origin", "*"));
    }

    public Duration coalescingInterval() {
        return ProgressCoalescer.intervalFor(maxEventsPerSecond);
    }

    /** Never prints the secrets. */
    @Override
    public String toString() {
        return "PushSettings[host=" + host + ", port=" + port + ", max_events_per_second=" + maxEventsPerSecond
                + ", write_queue_max_bytes=" + writeQueueMaxBytes + ", max_pending_events=" + maxPendingEvents + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("push." + key + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
