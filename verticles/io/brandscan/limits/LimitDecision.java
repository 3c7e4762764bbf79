package io.brandscan.limits;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The answer to a limit check: allowed, or refused naming the {@link LimitKind}, its value, a
 * message a client can read and the seconds after which trying again can succeed (for HTTP's
 * {@code Retry-After}). Immutable.
 */
public record LimitDecision(boolean allowed, LimitKind limit, long limitValue, String message, long retryAfterSeconds) {
    private static final LimitDecision ALLOWED = new LimitDecision(true, null, 0, "allowed", 0);

    public LimitDecision {
        if (!allowed) {
            Objects.requireNonNull(limit, "a refusal names its limit");
            Objects.requireNonNull(message, "a refusal explains itself");
            if (retryAfterSeconds < 1) {
                throw new IllegalArgumentException("a refusal's retry-after is at least one second");
            }
        }
    }

    public static LimitDecision allow() {
        return ALLOWED;
    }

    public static LimitDecision refuse(LimitKind limit, long limitValue, String message, long retryAfterSeconds) {
        return new LimitDecision(false, limit, limitValue, message, Math.max(1, retryAfterSeconds));
    }

    /**
     * The body of a 429 answer: {@code {"error":"limit_exceeded","limit":"scans_per_day",
     * "limit_value":50,"message":...,"retry_after":3600}}; empty for an allowed decision.
     */
    public JsonObject errorBody() {
        if (allowed) {
            return new JsonObject();
        }
        return new JsonObject().put("error", "limit_exceeded").put("limit", limit.wireName())
                .put("limit_value", limitValue).put("message", message).put("retry_after", retryAfterSeconds);
    }
}
