package io.brandscan.limits;

import io.brandscan.gather.RateLimit;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code limits} configuration slice: the platform's default {@link ClientLimits}, the
 * per-provider global rates, how refusals are worded in time, and where usage lives in MongoDB.
 * Also turns a client document's {@code limits} object into that client's limits, refusing a bad
 * override by field name. Keys and defaults:
 *
 * <ul>
 * <li>{@code concurrent_scans} (5), {@code provider_requests_per_minute} (120),
 *     {@code provider_requests_burst} (the per-minute value), {@code scans_per_day} (100),
 *     {@code scans_per_month} (2000): the defaults every client gets.</li>
 * <li>{@code provider_limits} ({@code {"scraperapi":{"per_minute":60,"burst":5}}}): global rates
 *     per provider, shared by every process; a provider not named is not limited globally.</li>
 * <li>{@code provider_max_wait_ms} (30000): a provider request that would wait longer for a token
 *     is refused instead of queued.</li>
 * <li>{@code concurrency_retry_after_s} (30): the Retry-After of a concurrency refusal.</li>
 * <li>{@code concurrency_grace_ms} (120000): how long an admitted scan id that has no scan document
 *     yet keeps its slot before a reconciliation frees it.</li>
 * <li>{@code clients_collection} ("clients"), {@code usage_collection} ("client_usage"),
 *     {@code slots_collection} ("scan_slots"), {@code buckets_collection} ("rate_buckets"),
 *     {@code scans_collection} ("scans").</li>
 * <li>{@code client_cache_ms} (30000) and {@code client_cache_max} (10000): how long and for how
 *     many clients a process keeps client overrides read from MongoDB.</li>
 * <li>{@code cas_attempts} (25): conditional-update attempts on a contended token bucket.</li>
 * </ul>
 */
public record LimitsSettings(ClientLimits defaults, Map<String, RateLimit> providerLimits, Duration providerMaxWait,
                             long concurrencyRetryAfterSeconds, Duration concurrencyGrace, String clientsCollection,
                             String usageCollection, String slotsCollection, String bucketsCollection,
                             String scansCollection, Duration clientCacheTtl, int clientCacheMax, int casAttempts) {
    private static final Set<String> OVERRIDES = Set.of("concurrent_scans", "provider_requests_per_minute",
            "provider_requests_burst", "scans_per_day", "scans_per_month");

    public LimitsSettings {
        providerLimits = Map.copyOf(providerLimits);
        if (providerMaxWait.isNegative() || concurrencyRetryAfterSeconds < 1 || concurrencyGrace.isNegative()
                || clientCacheTtl.isNegative() || clientCacheMax < 0 || casAttempts < 1) {
            throw new IllegalArgumentException("limits: provider_max_wait_ms, concurrency_grace_ms and client_cache_ms must be "
                    + ">= 0, concurrency_retry_after_s and cas_attempts >= 1, client_cache_max >= 0");
        }
    }

    /** A fresh copy each time: a shared mutable JsonObject constant could be changed by any caller. */
    public static JsonObject defaultProviderLimits() {
        return new JsonObject().put("scraperapi", new JsonObject().put("per_minute", 60).put("burst", 5));
    }

    public static LimitsSettings standard() {
        return fromJson(new JsonObject());
    }

    /** Reads the {@code limits} slice (null or empty: every default); a bad value names its key. */
    public static LimitsSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        ClientLimits defaults = merge(new ClientLimits(5, 120, 120, 100, 2000), c, "limits.", true);
        Map<String, RateLimit> providers = new LinkedHashMap<>();
        JsonObject limits = c.getJsonObject("provider_limits", defaultProviderLimits());
        for (String provider : limits.fieldNames()) {
            try {
                RateLimit limit = RateLimit.fromJson(limits.getJsonObject(provider), "per_minute", "burst");
                if (limit == null) {
                    throw new IllegalArgumentException("per_minute is required");
                }
                providers.put(provider, limit);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("limits.provider_limits." + provider + ": " + e.getMessage(), e);
            }
        }
        return new LimitsSettings(defaults, providers, Duration.ofMillis(c.getLong("provider_max_wait_ms", 30_000L)),
                c.getLong("concurrency_retry_after_s", 30L), Duration.ofMillis(c.getLong("concurrency_grace_ms", 120_000L)),
                c.getString("clients_collection", "clients"), c.getString("usage_collection", "client_usage"),
                c.getString("slots_collection", "scan_slots"), c.getString("buckets_collection", "rate_buckets"),
                c.getString("scans_collection", "scans"), Duration.ofMillis(c.getLong("client_cache_ms", 30_000L)),
                c.getInteger("client_cache_max", 10_000), c.getInteger("cas_attempts", 25));
    }

    /**
     * A client's limits: these defaults overridden by {@code overrides} (a client document's
     * {@code limits}; null or empty means the defaults). An unknown key or a value that is not a
     * non-negative whole number throws an {@link IllegalArgumentException} naming
     * {@code limits.<key>}.
     */
    public ClientLimits clientLimits(JsonObject overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return defaults;
        }
        for (String key : overrides.fieldNames()) {
            if (!OVERRIDES.contains(key)) {
                throw new IllegalArgumentException("limits." + key + ": unknown limit (one of " + OVERRIDES + ")");
            }
        }
        return merge(defaults, overrides, "limits.", false);
    }

    private static ClientLimits merge(ClientLimits base, JsonObject json, String prefix, boolean platform) {
        long concurrent = number(json, "concurrent_scans", base.concurrentScans(), prefix);
        long perMinute = number(json, "provider_requests_per_minute", base.providerRequestsPerMinute(), prefix);
        // The burst follows the per-minute rate unless set: "N per minute" then allows N at once.
        long burstDefault = json.containsKey("provider_requests_per_minute") || platform
                ? Math.max(1, perMinute) : base.providerRequestsBurst();
        long burst = number(json, "provider_requests_burst", burstDefault, prefix);
        long day = number(json, "scans_per_day", base.scansPerDay(), prefix);
        long month = number(json, "scans_per_month", base.scansPerMonth(), prefix);
        if (concurrent > Integer.MAX_VALUE || perMinute > Integer.MAX_VALUE || burst > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(prefix + "concurrent_scans, provider_requests_per_minute and "
                    + "provider_requests_burst must fit in 32 bits");
        }
        if (burst < 1) {
            throw new IllegalArgumentException(prefix + "provider_requests_burst: must be at least 1");
        }
        return new ClientLimits((int) concurrent, (int) perMinute, (int) burst, day, month);
    }

    private static long number(JsonObject json, String key, long fallback, String prefix) {
        Object value = json.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0) {
            throw new IllegalArgumentException(prefix + key + ": must be a whole number >= 0, got " + value);
        }
        return n.longValue();
    }
}
