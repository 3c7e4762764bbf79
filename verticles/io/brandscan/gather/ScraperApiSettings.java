package io.brandscan.gather;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * The ScraperAPI provider's configuration, from the gather verticle's conf slice. The key is
 * {@code scraperapi_key}; the launcher copies the {@code SCRAPERAPI_KEY} environment variable
 * into it ({@link #withEnvironment}), so the provider itself never reads the environment.
 *
 * @param apiKey            {@code scraperapi_key}, null when unset
 * @param baseUrl           {@code scraperapi_base_url} ({@value #DEFAULT_BASE_URL})
 * @param country           {@code scraperapi_country}: proxy geotargeting, two letters ("us")
 * @param tld               {@code scraperapi_tld}: the Amazon marketplace domain ("com")
 * @param maxPages          {@code max_pages}: search result pages per fetch (5)
 * @param maxListings       {@code max_listings} (1000)
 * @param timeoutMs         {@code scraperapi_timeout_ms}: per request (70 s, as ScraperAPI advises,
 *                          because it retries internally before answering)
 * @param connectTimeoutMs  {@code connect_timeout_ms} (10 s)
 * @param maxResponseBytes  {@code scraperapi_max_response_bytes} (8 MiB)
 * @param retry             {@code scraperapi_max_attempts} (4), {@code scraperapi_backoff_base_ms}
 *                          (1000), {@code scraperapi_backoff_max_ms} (30000),
 *                          {@code scraperapi_max_retry_after_ms} (60000)
 */
public record ScraperApiSettings(String apiKey, String baseUrl, String country, String tld, int maxPages,
                                 int maxListings, long timeoutMs, long connectTimeoutMs, long maxResponseBytes,
                                 RetryPolicy retry) {
    public static final String DEFAULT_BASE_URL = "https://api.scraperapi.com";
    public static final String ENV_KEY = "SCRAPERAPI_KEY";

    public ScraperApiSettings {
        if (maxPages < 1 || maxListings < 1 || timeoutMs < 1 || connectTimeoutMs < 1 || maxResponseBytes < 1) {
            throw new IllegalArgumentException("scraperapi settings out of range");
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    }

    public static ScraperApiSettings fromConfig(JsonObject conf) {
        return new ScraperApiSettings(
                conf.getString("scraperapi_key"),
                conf.getString("scraperapi_base_url", DEFAULT_BASE_URL),
                conf.getString("scraperapi_country", "us"),
                conf.getString("scraperapi_tld", "com"),
                conf.getInteger("max_pages", 5),
                conf.getInteger("max_listings", JsonFeedSettings.DEFAULT_MAX_LISTINGS),
                conf.getLong("scraperapi_timeout_ms", 70_000L),
                conf.getLong("connect_timeout_ms", 10_000L),
                conf.getLong("scraperapi_max_response_bytes", 8L * 1024 * 1024),
                new RetryPolicy(
                        conf.getInteger("scraperapi_max_attempts", 4),
                        Duration.ofMillis(conf.getLong("scraperapi_backoff_base_ms", 1_000L)),
                        Duration.ofMillis(conf.getLong("scraperapi_backoff_max_ms", 30_000L)),
                        Duration.ofMillis(conf.getLong("scraperapi_max_retry_after_ms", 60_000L))));
    }

    /**
     * For the launcher: {@code conf} with {@code scraperapi_key} filled from {@code SCRAPERAPI_KEY}
     * in {@code environment} when conf has none. Conf wins so a test or operator can override.
     */
    public static JsonObject withEnvironment(JsonObject conf, Map<String, String> environment) {
        String fromConf = conf.getString("scraperapi_key");
        String fromEnv = environment.get(ENV_KEY);
        if ((fromConf == null || fromConf.isBlank()) && fromEnv != null && !fromEnv.isBlank()) {
            return conf.copy().put("scraperapi_key", fromEnv.strip());
        }
        return conf;
    }

    public boolean hasKey() {
        return apiKey != null;
    }

    @Override
    public String toString() {
        // never let the key reach a log line through a settings dump
        return "ScraperApiSettings[baseUrl=" + baseUrl + ", country=" + country + ", tld=" + tld + ", maxPages="
                + maxPages + ", maxListings=" + maxListings + ", key=" + (hasKey() ? "set" : "missing") + "]";
    }
}
