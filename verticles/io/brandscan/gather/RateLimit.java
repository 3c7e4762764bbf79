package io.brandscan.gather;

import io.vertx.core.json.JsonObject;

/**
 * A token-bucket limit: {@code perMinute} requests on average, up to {@code burst} at once.
 * Read from conf as {@code {"per_minute": 60, "burst": 5}}.
 */
public record RateLimit(double perMinute, int burst) {
    public RateLimit {
        if (!(perMinute > 0) || burst < 1) {
            throw new IllegalArgumentException("rate limit needs per_minute > 0 and burst >= 1");
        }
    }

    public static RateLimit fromJson(JsonObject json, String perMinuteKey, String burstKey) {
        Number perMinute = json.getNumber(perMinuteKey);
        if (perMinute == null) {
            return null;
        }
        return new RateLimit(perMinute.doubleValue(), json.getInteger(burstKey, 1));
    }

    double perNano() {
        return perMinute / 60_000_000_000.0;
    }
}
