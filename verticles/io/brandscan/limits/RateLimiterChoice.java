package io.brandscan.limits;

import io.brandscan.gather.ProviderRateLimiter;
import io.brandscan.gather.TokenBucketRateLimiter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Picks gather's {@link ProviderRateLimiter} by configuration: {@code gather.rate_limiter} is
 * {@code "local"} (the default: {@link TokenBucketRateLimiter}, per process, from
 * {@code gather.rate_limits}) or {@code "shared"} ({@link SharedProviderRateLimiter}: per client
 * and per provider across every process, from the {@code limits} slice, in MongoDB). Anything
 * else is refused naming the key.
 */
public final class RateLimiterChoice {
    private RateLimiterChoice() {
    }

    /** The limiter; {@code mongo} is asked for a client only when the shared one is chosen. */
    public static ProviderRateLimiter from(Vertx vertx, Clock clock, JsonObject gatherConf, JsonObject limitsConf,
                                           Supplier<MongoClient> mongo) {
        String kind = gatherConf.getString("rate_limiter", "local");
        return switch (kind) {
            case "local" -> new TokenBucketRateLimiter(vertx, clock, gatherConf);
            case "shared" -> new SharedProviderRateLimiter(vertx,
                    new ClientLimiter(vertx, mongo.get(), LimitsSettings.fromJson(limitsConf), clock));
            default -> throw new IllegalArgumentException("gather.rate_limiter must be \"local\" or \"shared\", got \"" + kind + "\"");
        };
    }
}
