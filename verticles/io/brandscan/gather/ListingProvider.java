package io.brandscan.gather;

import io.vertx.core.Future;

/**
 * A source of marketplace listings behind one interface: ScraperAPI's Amazon search,
 * {@code json-feed}, the demo marketplace. An implementation follows its source's paging itself,
 * stops at its configured {@code max_listings}, asks its {@link ProviderRateLimiter} before every
 * HTTP request, and never blocks: all I/O goes through Vert.x clients with timeouts.
 *
 * <p>Failures arrive as a failed future holding a {@link ProviderException} whose
 * {@link ProviderError} tells gather whether trying the scan again later can help.
 */
public interface ListingProvider {
    /** The provider's name as used in conf, logs and rate limits, e.g. {@code json-feed}. */
    String name();

    Future<FetchedListings> fetch(ProviderRequest request);

    /** Releases the provider's HTTP client; the default has nothing to release. */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
