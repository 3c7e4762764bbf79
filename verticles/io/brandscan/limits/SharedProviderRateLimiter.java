package io.brandscan.limits;

import io.brandscan.gather.ProviderError;
import io.brandscan.gather.ProviderException;
import io.brandscan.gather.ProviderRateLimiter;
import io.brandscan.gather.RateLimit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The cross-process {@link ProviderRateLimiter}: before each outbound provider request it
 * reserves a token from the client's bucket ({@code provider_requests_per_minute}, the client's
 * own limit across every provider) and from the provider's platform-wide bucket
 * ({@code limits.provider_limits}), both stored in MongoDB ({@link SharedTokenBuckets}), so every
 * gather process on every machine draws from the same tokens. It waits on a Vert.x timer for a
 * token that frees up within {@code provider_max_wait_ms}; longer, and the request fails with
 * {@link ProviderError#RATE_LIMITED} instead (after giving back the other reservation), so a flood
 * never queues unbounded work.
 */
public final class SharedProviderRateLimiter implements ProviderRateLimiter {
    static final String PROVIDER_BUCKET_PREFIX = "provider:";

    private final Vertx vertx;
    private final ClientLimiter limiter;
    private final long maxWaitMillis;

    public SharedProviderRateLimiter(Vertx vertx, ClientLimiter limiter) {
        this.vertx = vertx;
        this.limiter = limiter;
        this.maxWaitMillis = limiter.settings().providerMaxWait().toMillis();
    }

    @Override
    public Future<Void> acquire(String provider, String clientId) {
        return limiter.limitsFor(clientId)
                .compose(limits -> limiter.reserveProviderRequest(clientId, limits, maxWaitMillis)
                        .recover(e -> Future.failedFuture(rateLimited(provider, e.getMessage(), e)))
                        .compose(clientWait -> {
                            if (clientWait.isEmpty()) {
                                return limiter.providerRefusal(clientId, limits).compose(refusal -> Future.failedFuture(
                                        rateLimited(provider, refusal.message() + "; retry after "
                                                + refusal.retryAfterSeconds() + " s", null)));
                            }
                            return reserveProvider(provider, clientId).map(providerWait -> Math.max(clientWait.get(), providerWait));
                        }))
                .compose(wait -> wait <= 0 ? Future.<Void>succeededFuture()
                        : vertx.timer(wait, TimeUnit.MILLISECONDS).<Void>mapEmpty());
    }

    /** The provider's platform-wide token (0 ms when it has no limit); on refusal, the client's token goes back. */
    private Future<Long> reserveProvider(String provider, String clientId) {
        RateLimit limit = limiter.settings().providerLimits().get(provider);
        if (limit == null) {
            return Future.succeededFuture(0L);
        }
        return limiter.buckets().reserve(PROVIDER_BUCKET_PREFIX + provider, limit.perMinute(), limit.burst(), maxWaitMillis)
                .transform(reserved -> {
                    Optional<Long> wait = reserved.succeeded() ? reserved.result() : Optional.empty();
                    if (wait.isPresent()) {
                        return Future.succeededFuture(wait.get());
                    }
                    String why = reserved.succeeded()
                            ? "platform limit for " + provider + " (" + limit.perMinute() + " per minute, burst " + limit.burst()
                                    + ") would need a wait over " + maxWaitMillis + " ms"
                            : reserved.cause().getMessage();
                    return limiter.refundProviderRequest(clientId).transform(r ->
                            Future.failedFuture(rateLimited(provider, why, reserved.failed() ? reserved.cause() : null)));
                });
    }

    private static ProviderException rateLimited(String provider, String message, Throwable cause) {
        return cause == null ? new ProviderException(provider, ProviderError.RATE_LIMITED, message)
                : new ProviderException(provider, ProviderError.RATE_LIMITED, message, cause);
    }
}
