package io.brandscan.gather;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One token bucket, by reservation: {@link #reserve} takes a token now, even one that will only
 * exist in the future, and says how long the caller must wait for it. Reserving instead of
 * polling means waiters are served in order and nobody spins. Pure (no Vert.x): the time comes
 * in as an argument, so tests drive it with a settable clock. Not thread-safe; its owner
 * serialises access.
 */
public final class TokenBucket {
    private final RateLimit limit;
    private double tokens;
    private Instant refilledAt;

    public TokenBucket(RateLimit limit, Instant now) {
        this.limit = limit;
        this.tokens = limit.burst();
        this.refilledAt = now;
    }

    /**
     * Reserves one token. Returns the wait before it may be used (zero when one is available),
     * or empty, with nothing reserved, when that wait would exceed {@code maxWait}.
     */
    public Optional<Duration> reserve(Instant now, Duration maxWait) {
        refill(now);
        tokens -= 1;
        if (tokens >= 0) {
            return Optional.of(Duration.ZERO);
        }
        long waitNanos = (long) Math.ceil(-tokens / limit.perNano());
        Duration wait = Duration.ofNanos(waitNanos);
        if (wait.compareTo(maxWait) > 0) {
            tokens += 1;
            return Optional.empty();
        }
        return Optional.of(wait);
    }

    /** Gives back a reservation whose request will not be made after all. */
    public void release() {
        tokens = Math.min(limit.burst(), tokens + 1);
    }

    /** Tokens available now (negative while reservations are outstanding). */
    public double available(Instant now) {
        refill(now);
        return tokens;
    }

    private void refill(Instant now) {
        if (now.isAfter(refilledAt)) {
            long elapsed = Duration.between(refilledAt, now).toNanos();
            tokens = Math.min(limit.burst(), tokens + elapsed * limit.perNano());
            refilledAt = now;
        }
    }
}
