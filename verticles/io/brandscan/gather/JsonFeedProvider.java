package io.brandscan.gather;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code json-feed} provider: GETs a user-supplied URL answering
 * {@code [{"url","title","price","currency","seller","image_url"}, ...]}, or the paged form
 * {@code {"listings": [...], "next": "<url>"}} (see {@link FeedDocument}). Because the URL comes
 * from a user, the feed URL, every redirect target and every {@code next} page pass the
 * {@link FeedUrlGuard} before any connection is made. Each page is bounded in bytes and time;
 * the walk is bounded in pages and listings, and stops on a {@code next} it has already seen.
 */
public final class JsonFeedProvider implements ListingProvider {
    public static final String NAME = "json-feed";
    private static final Logger LOG = LoggerFactory.getLogger(JsonFeedProvider.class);

    private final Vertx vertx;
    private final JsonFeedSettings settings;
    private final FeedUrlGuard guard;
    private final ProviderRateLimiter limiter;
    private final HttpClient client;
    private final BoundedHttpGet http;

    public JsonFeedProvider(Vertx vertx, JsonFeedSettings settings, FeedUrlGuard guard, ProviderRateLimiter limiter) {
        this.vertx = vertx;
        this.settings = settings;
        this.guard = guard;
        this.limiter = limiter;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutMs()))
                .setMaxRedirects(0), new PoolOptions().setHttp1MaxSize(8));
        this.http = new BoundedHttpGet(vertx, client, NAME, settings.connectTimeoutMs());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Future<FetchedListings> fetch(ProviderRequest request) {
        if (request.feedUrl() == null) {
            return Future.failedFuture(new ProviderException(NAME, ProviderError.BAD_REQUEST, "no feed URL in the request"));
        }
        Walk walk = new Walk(request, request.effectiveMax(settings.maxListings()));
        return BoundedHttpGet.onContext(vertx, () -> walk.page(request.feedUrl()).map(v -> walk.result()));
    }

    @Override
    public Future<Void> close() {
        return client.close();
    }

    /** One fetch's state; all of it lives on the caller's context, one page at a time. */
    private final class Walk {
        private final ProviderRequest request;
        private final int max;
        private final List<Listing> listings = new ArrayList<>();
        private final Rejections.Tally tally = new Rejections.Tally();
        private final Set<URI> visited = new HashSet<>();
        private int pages;
        private boolean truncated;

        Walk(ProviderRequest request, int max) {
            this.request = request;
            this.max = max;
        }

        Future<Void> page(URI uri) {
            visited.add(uri);
            return download(uri, settings.maxRedirects())
                    .compose(this::parse)
                    .compose(document -> {
                        pages++;
                        if (!take(document)) {
                            return Future.succeededFuture();
                        }
                        if (document.next() == null) {
                            return Future.succeededFuture();
                        }
                        URI next;
                        try {
                            next = uri.resolve(new URI(document.next()));
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            return Future.failedFuture(new ProviderException(NAME, ProviderError.WRONG_SHAPE,
                                    "feed \"next\" is not a URL: " + document.next()));
                        }
                        if (visited.contains(next)) {
                            LOG.warn("json-feed next page {} already read; stopping (client={} scan={})", next,
                                    request.clientId(), request.scanId());
                            return Future.succeededFuture();
                        }
                        if (pages >= settings.maxPages()) {
                            truncated = true;
                            return Future.succeededFuture();
                        }
                        return page(next);
                    });
        }

        /** Adds the page's valid entries; false once {@code max} is reached. */
        private boolean take(FeedDocument document) {
            for (ListingJson.Parsed entry : document.entries()) {
                if (!entry.ok()) {
                    tally.add(entry.reason(), entry.detail());
                    continue;
                }
                if (listings.size() >= max) {
                    truncated = true;
                    return false;
                }
                listings.add(entry.listing());
            }
            if (listings.size() >= max && document.next() != null) {
                truncated = true;
                return false;
            }
            return true;
        }

        private Future<BoundedHttpGet.Reply> download(URI uri, int redirectsLeft) {
            return checked(uri)
                    .compose(v -> limiter.acquire(NAME, request.clientId()))
                    .compose(v -> http.get(uri, settings.timeoutMs(), settings.maxFeedBytes()))
                    .compose(reply -> {
                        if (reply.redirect()) {
                            return follow(reply, redirectsLeft);
                        }
                        if (!reply.ok()) {
                            return Future.failedFuture(statusError(reply));
                        }
                        return Future.succeededFuture(reply);
                    });
        }

        private Future<BoundedHttpGet.Reply> follow(BoundedHttpGet.Reply reply, int redirectsLeft) {
            if (redirectsLeft <= 0) {
                return Future.failedFuture(new ProviderException(NAME, ProviderError.BAD_REDIRECT,
                        "more than " + settings.maxRedirects() + " redirects from " + request.feedUrl()));
            }
            if (reply.location() == null || reply.location().isBlank()) {
                return Future.failedFuture(new ProviderException(NAME, ProviderError.BAD_REDIRECT,
                        "HTTP " + reply.status() + " without a Location from " + reply.uri()));
            }
            try {
                return download(reply.uri().resolve(new URI(reply.location().strip())), redirectsLeft - 1);
            } catch (URISyntaxException | IllegalArgumentException e) {
                return Future.failedFuture(new ProviderException(NAME, ProviderError.BAD_REDIRECT,
                        "redirect Location is not a URL: " + reply.location()));
            }
        }

        private Future<Void> checked(URI uri) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return Future.failedFuture(new ProviderException(NAME, ProviderError.URL_REFUSED,
                        "feed URL must be an absolute http(s) URL: " + uri));
            }
            return guard.check(uri).recover(e -> Future.failedFuture(new ProviderException(NAME,
                    ProviderError.URL_REFUSED, "feed URL " + uri + " refused: " + e.getMessage(), e)));
        }

        private Future<FeedDocument> parse(BoundedHttpGet.Reply reply) {
            Buffer body = reply.body();
            if (body.length() <= settings.inlineParseBytes()) {
                return parseNow(reply);
            }
            // a multi-megabyte feed takes long enough to parse that it must not hold the event loop
            return vertx.executeBlocking(() -> parseNow(reply), false).compose(f -> f);
        }

        private Future<FeedDocument> parseNow(BoundedHttpGet.Reply reply) {
            try {
                return Future.succeededFuture(FeedDocument.parse(reply.body()));
            } catch (UnreadableAnswer e) {
                return Future.failedFuture(new ProviderException(NAME, e.error(), e.getMessage() + " (" + reply.uri() + ")"));
            }
        }

        private ProviderException statusError(BoundedHttpGet.Reply reply) {
            int status = reply.status();
            ProviderError error = status == 429 || status >= 500 ? ProviderError.UNAVAILABLE : ProviderError.HTTP_STATUS;
            return new ProviderException(NAME, error, "feed answered HTTP " + status + " at " + reply.uri());
        }

        FetchedListings result() {
            Rejections rejections = tally.snapshot();
            LOG.info("json-feed fetched {} listings, {} dropped {}, {} pages, truncated={} (client={} scan={})",
                    listings.size(), rejections.total(), rejections.byCode(), pages, truncated, request.clientId(),
                    request.scanId());
            return new FetchedListings(NAME, listings, rejections, pages, truncated);
        }
    }
}
