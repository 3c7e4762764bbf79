package io.brandscan.gather;

import io.vertx.core.Future;

/**
 * Asked by a provider before each outbound request. Succeeds when the request may go (possibly
 * after waiting), fails with a {@link ProviderException} of {@link ProviderError#RATE_LIMITED}
 * when it would have to wait too long. Per-provider limits protect shared third parties;
 * per-client limits keep one client from using up a provider for everyone. This in-process
 * version is {@link TokenBucketRateLimiter}; the cross-process one, whose buckets live in MongoDB,
 * is io.brandscan.limits.SharedProviderRateLimiter (conf {@code gather.rate_limiter: "shared"}).
 */
@FunctionalInterface
public interface ProviderRateLimiter {
    /** No limits at all: for tests and for sources the operator controls. */
    ProviderRateLimiter UNLIMITED = (provider, clientId) -> Future.succeededFuture();

    Future<Void> acquire(String provider, String clientId);
}
