package io.brandscan.registry;

/**
 * The right to commit one complete batch, held by the worker it was granted to until
 * {@code expiresAtMillis}. Once expired, the batch offers the commit again under a new token; a
 * holder of an older token learns it lost when it reports completion.
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
}
