package io.brandscan.scan;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The canonical form of a listing url, so that the same listing reached by trivially different
 * urls gets one id: scheme and host lower-cased, default port dropped, empty path made "/",
 * fragment dropped. The query is kept as is because marketplaces put the item id there.
 */
public final class ListingUrl {
    public static final int MAX_LENGTH = 4096;

    private ListingUrl() {
    }

    /** The canonical url; a missing, relative, non-http(s) or over-long url is an {@link IllegalArgumentException}. */
    public static String normalise(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("listing url is missing");
        }
        if (url.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("listing url is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("listing url is not a url: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("listing url must be http or https: " + url);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("listing url has no host: " + url);
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder canonical = new StringBuilder(scheme).append("://");
        if (uri.getRawUserInfo() != null) {
            canonical.append(uri.getRawUserInfo()).append('@');
        }
        canonical.append(host.toLowerCase(Locale.ROOT));
        if (!defaultPort) {
            canonical.append(':').append(port);
        }
        canonical.append(path);
        if (uri.getRawQuery() != null) {
            canonical.append('?').append(uri.getRawQuery());
        }
        return canonical.toString();
    }
}
