package io.brandscan.registry;

/**
 * The right to commit one complete batch, held by the worker it was granted to until
 * {@code expiresAtMillis}, or until it gives the lease back early ({@link #releasedAt}). Once
 * expired or released, the batch offers the commit again under a new token; a holder of an older
 * token learns it lost when it reports completion.
 */
public record CommitLease(String token, long grantedAtMillis, long expiresAtMillis) {
    public CommitLease {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("lease token must be non-empty");
        }
        if (expiresAtMillis < grantedAtMillis) {
            throw new IllegalArgumentException("lease cannot expire before it is granted");
        }
    }

    public boolean isLiveAt(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }

    /** The same lease ended early by its holder: no longer live from {@code nowMillis} on. */
    public CommitLease releasedAt(long nowMillis) {
        return new CommitLease(token, grantedAtMillis, Math.max(grantedAtMillis, Math.min(expiresAtMillis, nowMillis)));
    }
}
