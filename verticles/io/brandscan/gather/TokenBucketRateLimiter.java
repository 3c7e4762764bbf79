package io.brandscan.gather;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The in-process {@link ProviderRateLimiter}: one {@link TokenBucket} per provider and, when
 * configured, one per (provider, client). A request waits (on a Vert.x timer, never blocking)
 * for both its tokens; when the wait would exceed {@code rate_limit_max_wait_ms} it fails with
 * {@link ProviderError#RATE_LIMITED} instead, so a flood cannot queue unbounded work. Client
 * buckets are kept for at most {@code rate_limit_max_clients} clients, least recently used
 * evicted.
 *
 * <p>Conf: {@code rate_limits: {"scraperapi": {"per_minute": 60, "burst": 5,
 * "client_per_minute": 30, "client_burst": 5}}}; providers not named there are not limited.
 */
public final class TokenBucketRateLimiter implements ProviderRateLimiter {
    /** A fresh copy each time: a shared mutable JsonObject constant could be changed by any caller. */
    public static JsonObject defaultLimits() {
        return new JsonObject()
                .put("scraperapi", new JsonObject().put("per_minute", 60).put("burst", 5))
                .put("json-feed", new JsonObject().put("per_minute", 120).put("burst", 10));
    }

    public static final long DEFAULT_MAX_WAIT_MS = 30_000;
    public static final int DEFAULT_MAX_CLIENTS = 10_000;

    private final Vertx vertx;
    private final Clock clock;
    private final Duration maxWait;
    private final Map<String, RateLimit> providerLimits = new HashMap<>();
    private final Map<String, RateLimit> clientLimits = new HashMap<>();
    private final Map<String, TokenBucket> providerBuckets = new HashMap<>();
    private final Map<String, TokenBucket> clientBuckets;

    public TokenBucketRateLimiter(Vertx vertx, Clock clock, JsonObject conf) {
        this.vertx = vertx;
        this.clock = clock;
        this.maxWait = Duration.ofMillis(conf.getLong("rate_limit_max_wait_ms", DEFAULT_MAX_WAIT_MS));
        int maxClients = conf.getInteger("rate_limit_max_clients", DEFAULT_MAX_CLIENTS);
        this.clientBuckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
                return size() > maxClients;
            }
        };
        JsonObject limits = conf.getJsonObject("rate_limits", defaultLimits());
        for (String provider : limits.fieldNames()) {
            JsonObject entry = limits.getJsonObject(provider);
            Optional.ofNullable(RateLimit.fromJson(entry, "per_minute", "burst"))
                    .ifPresent(limit -> providerLimits.put(provider, limit));
            Optional.ofNullable(RateLimit.fromJson(entry, "client_per_minute", "client_burst"))
                    .ifPresent(limit -> clientLimits.put(provider, limit));
        }
    }

    @Override
    public Future<Void> acquire(String provider, String clientId) {
        Optional<Duration> wait = reserve(provider, clientId);
        if (wait.isEmpty()) {
            return Future.failedFuture(new ProviderException(provider, ProviderError.RATE_LIMITED,
                    "rate limit for client " + clientId + " would need a wait over " + maxWait.toMillis() + " ms"));
        }
        long millis = wait.get().toMillis() + (wait.get().toNanosPart() % 1_000_000 > 0 ? 1 : 0);
        if (millis <= 0) {
            return Future.succeededFuture();
        }
        return vertx.timer(millis, TimeUnit.MILLISECONDS).mapEmpty();
    }

    /** Reserves on both buckets or neither; synchronized because verticle instances may share one limiter. */
    private synchronized Optional<Duration> reserve(String provider, String clientId) {
        var now = clock.instant();
        Duration wait = Duration.ZERO;
        TokenBucket providerBucket = null;
        RateLimit providerLimit = providerLimits.get(provider);
        if (providerLimit != null) {
            providerBucket = providerBuckets.computeIfAbsent(provider, p -> new TokenBucket(providerLimit, now));
            Optional<Duration> reserved = providerBucket.reserve(now, maxWait);
            if (reserved.isEmpty()) {
                return Optional.empty();
            }
            wait = reserved.get();
        }
        RateLimit clientLimit = clientLimits.get(provider);
        if (clientLimit != null) {
            TokenBucket clientBucket = clientBuckets.computeIfAbsent(provider + "\u0000" + clientId,
                    k -> new TokenBucket(clientLimit, now));
            Optional<Duration> reserved = clientBucket.reserve(now, maxWait);
            if (reserved.isEmpty()) {
                if (providerBucket != null) {
                    providerBucket.release();
                }
                return Optional.empty();
            }
            wait = wait.compareTo(reserved.get()) >= 0 ? wait : reserved.get();
        }
        return Optional.of(wait);
    }
}
