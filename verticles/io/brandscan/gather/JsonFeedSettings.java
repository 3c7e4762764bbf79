package io.brandscan.gather;

import io.vertx.core.json.JsonObject;

/**
 * The json-feed provider's bounds, from the gather verticle's conf slice.
 *
 * @param maxListings     {@code max_listings}: listings kept per fetch, across pages (1000)
 * @param maxFeedBytes    {@code max_feed_bytes}: bytes per feed page (8 MiB)
 * @param maxPages        {@code feed_max_pages}: pages followed through {@code next} (20)
 * @param maxRedirects    {@code feed_max_redirects}: redirects per page, each re-checked (3)
 * @param timeoutMs       {@code feed_timeout_ms}: whole-answer deadline per page (30 s)
 * @param connectTimeoutMs {@code connect_timeout_ms}: TCP/TLS connect timeout (10 s)
 * @param inlineParseBytes {@code feed_inline_parse_bytes}: pages up to this size are parsed on
 *                        the event loop, bigger ones on a worker thread (64 KiB)
 */
public record JsonFeedSettings(int maxListings, long maxFeedBytes, int maxPages, int maxRedirects, long timeoutMs,
                               long connectTimeoutMs, long inlineParseBytes) {
    public static final int DEFAULT_MAX_LISTINGS = 1000;
    public static final long DEFAULT_MAX_FEED_BYTES = 8L * 1024 * 1024;

    public JsonFeedSettings {
        if (maxListings < 1 || maxFeedBytes < 1 || maxPages < 1 || maxRedirects < 0 || timeoutMs < 1
                || connectTimeoutMs < 1 || inlineParseBytes < 0) {
            throw new IllegalArgumentException("json-feed settings out of range");
        }
    }

    public static JsonFeedSettings fromConfig(JsonObject conf) {
        return new JsonFeedSettings(
                conf.getInteger("max_listings", DEFAULT_MAX_LISTINGS),
                conf.getLong("max_feed_bytes", DEFAULT_MAX_FEED_BYTES),
                conf.getInteger("feed_max_pages", 20),
                conf.getInteger("feed_max_redirects", 3),
                conf.getLong("feed_timeout_ms", 30_000L),
                conf.getLong("connect_timeout_ms", 10_000L),
                conf.getLong("feed_inline_parse_bytes", 64L * 1024));
    }
}
