package io.brandscan.gather;

import java.net.URI;
import java.util.Objects;

/**
 * What gather asks one provider for: a search {@code query} (ScraperAPI, the demo marketplace)
 * or a {@code feedUrl} (json-feed), on behalf of one client's scan. {@code maxListings} caps
 * this request below the provider's configured {@code max_listings}; 0 means "the provider's
 * bound".
 */
public record ProviderRequest(String clientId, String scanId, String query, URI feedUrl, int maxListings) {
    public ProviderRequest {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(scanId, "scanId");
        if (maxListings < 0) {
            throw new IllegalArgumentException("maxListings must be >= 0");
        }
    }

    public static ProviderRequest search(String clientId, String scanId, String query) {
        return new ProviderRequest(clientId, scanId, query, null, 0);
    }

    public static ProviderRequest feed(String clientId, String scanId, URI feedUrl) {
        return new ProviderRequest(clientId, scanId, null, feedUrl, 0);
    }

    public ProviderRequest withMaxListings(int max) {
        return new ProviderRequest(clientId, scanId, query, feedUrl, max);
    }

    /** The tighter of this request's cap and the provider's configured one. */
    public int effectiveMax(int providerMax) {
        return maxListings == 0 ? providerMax : Math.min(maxListings, providerMax);
    }
}
