package io.brandscan.acquire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What the image downloader reads from its configuration slice. Every key has a default; the
 * allowlist is parsed here so a bad entry stops deployment instead of failing per URL.
 *
 * @param allow             allowlist entries (see {@link AllowRule}); empty means public addresses only
 * @param maxBytes          largest body accepted; the stream is aborted as soon as it is passed
 * @param timeoutMs         the whole download, every redirect and DNS lookup included
 * @param connectTimeoutMs  one TCP (+TLS) connect
 * @param maxRedirects      redirects followed before {@link DownloadFailure#TOO_MANY_REDIRECTS}
 * @param userAgent         sent on every request
 * @param maxConnections    HTTP/1 connections the client keeps per server address
 * @param maxQueuedRequests requests waiting for a connection before new ones fail fast
 */
public record DownloadSettings(List<String> allow, long maxBytes, long timeoutMs, long connectTimeoutMs,
                               int maxRedirects, String userAgent, int maxConnections, int maxQueuedRequests) {
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_TIMEOUT_MS = 15_000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_MAX_REDIRECTS = 3;
    public static final String DEFAULT_USER_AGENT = "brandscan-image-fetcher/1.0";
    public static final int DEFAULT_MAX_CONNECTIONS = 32;
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 1000;

    public DownloadSettings {
        allow = List.copyOf(allow);
        UrlPolicy.fromEntries(allow); // fail fast on a malformed entry
        if (maxBytes < 1 || timeoutMs < 1 || connectTimeoutMs < 1 || maxConnections < 1 || maxQueuedRequests < 1) {
            throw new IllegalArgumentException(
                    "max_bytes, timeout_ms, connect_timeout_ms, max_connections and max_queued_requests must be positive");
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("max_redirects must not be negative");
        }
        if (userAgent == null || userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("user_agent must be printable ASCII");
        }
    }

    /** All defaults: public addresses only. */
    public static DownloadSettings defaults() {
        return fromJson(new JsonObject());
    }

    /** The same settings with a different allowlist (tests, and the scan command's --allow). */
    public DownloadSettings withAllow(List<String> entries) {
        return new DownloadSettings(entries, maxBytes, timeoutMs, connectTimeoutMs, maxRedirects, userAgent,
                maxConnections, maxQueuedRequests);
    }

    /**
     * Keys and defaults: {@code allow} ([], a JSON array or a comma-separated string),
     * {@code max_bytes} (10485760), {@code timeout_ms} (15000), {@code connect_timeout_ms} (5000),
     * {@code max_redirects} (3), {@code user_agent} (brandscan-image-fetcher/1.0),
     * {@code max_connections} (32), {@code max_queued_requests} (1000).
     */
    public static DownloadSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        return new DownloadSettings(
                allowEntries(c.getValue("allow"), "allow"),
                c.getLong("max_bytes", DEFAULT_MAX_BYTES),
                c.getLong("timeout_ms", DEFAULT_TIMEOUT_MS),
                c.getLong("connect_timeout_ms", DEFAULT_CONNECT_TIMEOUT_MS),
                c.getInteger("max_redirects", DEFAULT_MAX_REDIRECTS),
                c.getString("user_agent", DEFAULT_USER_AGENT),
                c.getInteger("max_connections", DEFAULT_MAX_CONNECTIONS),
                c.getInteger("max_queued_requests", DEFAULT_MAX_QUEUED_REQUESTS));
    }

    /**
     * Reads an {@code allow} list from configuration: a JSON array, or a comma-separated string
     * so an environment variable can carry it. {@code key} names the setting in the refusal.
     */
    public static List<String> allowEntries(Object value, String key) {
        List<String> entries = new ArrayList<>();
        if (value == null) {
            return entries;
        }
        if (value instanceof JsonArray array) {
            for (Object entry : array) {
                entries.add(String.valueOf(entry));
            }
            return entries;
        }
        if (value instanceof String text) {
            // A string so an environment variable can carry the list: "127.0.0.1:8080,localhost:*".
            for (String entry : text.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
            return entries;
        }
        throw new IllegalArgumentException(key + " must be a list of entries or a comma-separated string");
    }
}
