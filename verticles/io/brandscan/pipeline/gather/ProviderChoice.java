package io.brandscan.pipeline.gather;

import io.brandscan.gather.JsonFeedProvider;
import io.brandscan.gather.ProviderRequest;
import io.vertx.core.json.JsonObject;

import java.net.URI;

/**
 * Which listing provider a scan uses and what to ask it, read from the scan's brand snapshot
 * ({@code brand.provider}): {@code {"type":"json-feed","url"}}, {@code {"type":"scraperapi",
 * "query"}} (the query defaults to the brand's {@code name}), {@code {"type":"demo"}} or any other
 * registered provider name (asked with the {@code query}, else the brand's name). A snapshot that
 * does not say is the scan's fault and no retry can fix it, so the factory throws an
 * {@link IllegalArgumentException} naming the missing field.
 */
public record ProviderChoice(String provider, ProviderRequest request) {

    public static ProviderChoice fromBrand(JsonObject brand, String clientId, String scanId) {
        if (brand == null) {
            throw new IllegalArgumentException("the scan has no brand snapshot");
        }
        Object rawProvider = brand.getValue("provider");
        if (!(rawProvider instanceof JsonObject provider)) {
            throw new IllegalArgumentException("brand.provider must be an object with a type");
        }
        String type = text(provider, "type");
        if (type == null) {
            throw new IllegalArgumentException("brand.provider.type is missing");
        }
        if (JsonFeedProvider.NAME.equals(type)) {
            String url = text(provider, "url");
            if (url == null) {
                throw new IllegalArgumentException("brand.provider.url is missing for a json-feed provider");
            }
            URI feed;
            try {
                feed = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("brand.provider.url is not a url: " + url);
            }
            if (!feed.isAbsolute()) {
                throw new IllegalArgumentException("brand.provider.url must be absolute: " + url);
            }
            return new ProviderChoice(type, ProviderRequest.feed(clientId, scanId, feed));
        }
        String query = text(provider, "query");
        if (query == null) {
            query = text(brand, "name");
        }
        if (query == null) {
            throw new IllegalArgumentException("brand.provider.query is missing and the brand has no name to search for");
        }
        return new ProviderChoice(type, ProviderRequest.search(clientId, scanId, query));
    }

    private static String text(JsonObject json, String key) {
        Object value = json.getValue(key);
        if (!(value instanceof String s) || s.isBlank()) {
            return null;
        }
        return s.strip();
    }
}
