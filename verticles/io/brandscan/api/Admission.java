package io.brandscan.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link ScanAdmission}'s answer: allowed, or refused naming the limit ({@code concurrent_scans},
 * {@code scans_per_day}...), a sentence for the client and when to try again. The API answers a
 * refusal with 429, a {@code Retry-After} header and {@code {"error":"limit_exceeded","limit",
 * "message"}}.
 */
public record Admission(boolean allowed, String limit, String message, Duration retryAfter) {
    private static final Admission ALLOWED = new Admission(true, null, null, null);

    public Admission {
        if (!allowed) {
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(message, "message");
            retryAfter = retryAfter == null || retryAfter.isNegative() ? Duration.ZERO : retryAfter;
        }
    }

    public static Admission admitted() {
        return ALLOWED;
    }

    public static Admission refused(String limit, String message, Duration retryAfter) {
        return new Admission(false, limit, message, retryAfter);
    }

    /** Whole seconds for {@code Retry-After}, rounded up so a client never retries too early. */
    public long retryAfterSeconds() {
        if (retryAfter == null) {
            return 0;
        }
        long s = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }
}
