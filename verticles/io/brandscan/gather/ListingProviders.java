package io.brandscan.gather;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The providers a gather verticle can call, by name ({@code json-feed}, {@code scraperapi}, and
 * whatever else is registered, such as the demo marketplace). An unknown name fails the fetch
 * with {@link ProviderError#BAD_REQUEST} rather than throwing.
 */
public final class ListingProviders {
    private final Map<String, ListingProvider> byName;

    private ListingProviders(Map<String, ListingProvider> byName) {
        this.byName = byName;
    }

    public static ListingProviders of(ListingProvider... providers) {
        Map<String, ListingProvider> byName = new LinkedHashMap<>();
        for (ListingProvider provider : providers) {
            if (byName.putIfAbsent(provider.name(), provider) != null) {
                throw new IllegalArgumentException("two providers named " + provider.name());
            }
        }
        return new ListingProviders(Map.copyOf(byName));
    }

    /**
     * json-feed and ScraperAPI from the gather verticle's conf slice (see
     * {@link JsonFeedSettings} and {@link ScraperApiSettings} for the keys), sharing one limiter.
     */
    public static ListingProviders fromConfig(Vertx vertx, JsonObject conf, FeedUrlGuard guard,
                                              ProviderRateLimiter limiter, Clock clock) {
        return of(new JsonFeedProvider(vertx, JsonFeedSettings.fromConfig(conf), guard, limiter),
                new ScraperApiProvider(vertx, ScraperApiSettings.fromConfig(conf), limiter, clock));
    }

    /** A copy with {@code provider} added, e.g. the demo marketplace. */
    public ListingProviders with(ListingProvider provider) {
        List<ListingProvider> all = new ArrayList<>(byName.values());
        all.add(provider);
        return of(all.toArray(ListingProvider[]::new));
    }

    public Set<String> names() {
        return byName.keySet();
    }

    public Future<FetchedListings> fetch(String provider, ProviderRequest request) {
        ListingProvider chosen = byName.get(provider);
        if (chosen == null) {
            return Future.failedFuture(new ProviderException(String.valueOf(provider), ProviderError.BAD_REQUEST,
                    "no listing provider named " + provider + "; known: " + names()));
        }
        return chosen.fetch(request);
    }

    public Future<Void> close() {
        return Future.all(byName.values().stream().map(ListingProvider::close).toList()).mapEmpty();
    }
}
