package io.brandscan.limits;

import java.util.Optional;

/**
 * The stored state of a shared token bucket, {@code tokens} as of {@code refilledAtMillis}, and
 * the arithmetic of taking one token from it. Reservation, as in io.brandscan.gather.TokenBucket:
 * a caller may take a token that only exists in the future and then waits for it, so waiters
 * queue in order instead of polling. Tokens go negative while reservations are outstanding.
 * Pure and immutable: {@link SharedTokenBuckets} stores the result with a conditional update.
 */
public record BucketState(double tokens, long refilledAtMillis) {
    /** A reserved token: the state to store and how long the caller must wait before using it. */
    public record Reservation(BucketState next, long waitMillis) {
    }

    /** A full bucket, as a new one starts. */
    public static BucketState full(int burst, long nowMillis) {
        return new BucketState(burst, nowMillis);
    }

    /** The state refilled to {@code nowMillis}; a clock behind the stored one refills nothing. */
    public BucketState refilled(double perMinute, int burst, long nowMillis) {
        if (nowMillis <= refilledAtMillis) {
            // A refund may have pushed tokens over the burst: the cap holds whatever the clock says.
            return tokens <= burst ? this : new BucketState(burst, refilledAtMillis);
        }
        double added = (nowMillis - refilledAtMillis) * perMinute / 60_000.0;
        return new BucketState(Math.min(burst, tokens + added), nowMillis);
    }

    /**
     * Takes one token at {@code nowMillis}. Empty, with nothing taken, when the wait for it would
     * exceed {@code maxWaitMillis}; a rate of zero never refills, so it is empty once the burst is gone.
     */
    public Optional<Reservation> reserve(double perMinute, int burst, long nowMillis, long maxWaitMillis) {
        BucketState now = refilled(perMinute, burst, nowMillis);
        double left = now.tokens - 1;
        if (left >= 0) {
            return Optional.of(new Reservation(new BucketState(left, now.refilledAtMillis), 0));
        }
        if (!(perMinute > 0)) {
            return Optional.empty();
        }
        long wait = waitMillis(-left, perMinute);
        if (wait > maxWaitMillis) {
            return Optional.empty();
        }
        return Optional.of(new Reservation(new BucketState(left, now.refilledAtMillis), wait));
    }

    /** How long until one token would be free at {@code nowMillis}: 0 when one is free now. */
    public long millisUntilFree(double perMinute, int burst, long nowMillis) {
        BucketState now = refilled(perMinute, burst, nowMillis);
        if (now.tokens >= 1) {
            return 0;
        }
        return perMinute > 0 ? waitMillis(1 - now.tokens, perMinute) : Long.MAX_VALUE;
    }

    private static long waitMillis(double missingTokens, double perMinute) {
        return (long) Math.ceil(missingTokens * 60_000.0 / perMinute);
    }
}
