package io.brandscan.gather;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Amazon search through ScraperAPI's structured data endpoint:
 * {@code GET {scraperapi_base_url}/structured/amazon/search?api_key=KEY&query=Q&country=us&tld=com&page=N},
 * answered by JSON described in {@link AmazonSearchPage}. Reads pages 1..{@code max_pages} in
 * order until a page says there are no more or {@code max_listings} is reached.
 *
 * <p>Each request first asks the {@link ProviderRateLimiter}. Timeouts, connection failures, 429
 * and 5xx are retried with exponential backoff, honouring {@code Retry-After}, up to
 * {@code scraperapi_max_attempts}; 401/403 (the key), 400 and other 4xx fail at once, because
 * repeating them only spends credits. A missing key fails before any request. The key never
 * appears in errors or logs.
 */
public final class ScraperApiProvider implements ListingProvider {
    public static final String NAME = "scraperapi";
    public static final String SEARCH_PATH = "/structured/amazon/search";
    private static final Logger LOG = LoggerFactory.getLogger(ScraperApiProvider.class);
    private static final int MAX_BODY_IN_ERROR = 200;

    private final Vertx vertx;
    private final ScraperApiSettings settings;
    private final ProviderRateLimiter limiter;
    private final Clock clock;
    private final HttpClient client;
    private final BoundedHttpGet http;

    public ScraperApiProvider(Vertx vertx, ScraperApiSettings settings, ProviderRateLimiter limiter, Clock clock) {
        this.vertx = vertx;
        this.settings = settings;
        this.limiter = limiter;
        this.clock = clock;
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
    public Future<Void> close() {
        return client.close();
    }

    @Override
    public Future<FetchedListings> fetch(ProviderRequest request) {
        if (!settings.hasKey()) {
            return Future.failedFuture(new ProviderException(NAME, ProviderError.MISSING_KEY,
                    "no ScraperAPI key: set scraperapi_key in the gather conf or SCRAPERAPI_KEY in the environment"));
        }
        if (request.query() == null || request.query().isBlank()) {
            return Future.failedFuture(new ProviderException(NAME, ProviderError.BAD_REQUEST,
                    "no search query in the request"));
        }
        Search search = new Search(request, request.effectiveMax(settings.maxListings()));
        return BoundedHttpGet.onContext(vertx, () -> search.page(1).map(v -> search.result()));
    }

    /** The request URL for one page; public so tests and operators can see the exact format. */
    public URI searchUri(String query, int page) {
        return URI.create(settings.baseUrl() + SEARCH_PATH
                + "?api_key=" + encode(settings.apiKey())
                + "&query=" + encode(query.strip())
                + "&country=" + encode(settings.country())
                + "&tld=" + encode(settings.tld())
                + "&page=" + page);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** One fetch's state, confined to the caller's context and advanced one page at a time. */
    private final class Search {
        private final ProviderRequest request;
        private final int max;
        private final List<Listing> listings = new ArrayList<>();
        private final Rejections.Tally tally = new Rejections.Tally();
        private int pages;
        private boolean truncated;

        Search(ProviderRequest request, int max) {
            this.request = request;
            this.max = max;
        }

        Future<Void> page(int number) {
            URI uri = searchUri(request.query(), number);
            return attempt(uri, number, 1).compose(answer -> {
                pages++;
                AmazonSearchPage page;
                try {
                    page = AmazonSearchPage.parse(answer, settings.tld());
                } catch (UnreadableAnswer e) {
                    return Future.failedFuture(new ProviderException(NAME, e.error(), e.getMessage() + " (page " + number + ")"));
                }
                for (ListingJson.Parsed entry : page.entries()) {
                    if (!entry.ok()) {
                        tally.add(entry.reason(), entry.detail());
                    } else if (listings.size() >= max) {
                        truncated = true;
                        return Future.succeededFuture();
                    } else {
                        listings.add(entry.listing());
                    }
                }
                if (!page.hasMore()) {
                    return Future.succeededFuture();
                }
                if (listings.size() >= max || number >= settings.maxPages()) {
                    truncated = true;
                    return Future.succeededFuture();
                }
                return page(number + 1);
            });
        }

        private Future<JsonObject> attempt(URI uri, int page, int attempt) {
            return limiter.acquire(NAME, request.clientId())
                    .compose(v -> http.get(uri, settings.timeoutMs(), settings.maxResponseBytes()))
                    .transform(done -> {
                        if (done.failed()) {
                            Throwable cause = done.cause();
                            if (cause instanceof ProviderException failure && failure.error() == ProviderError.UNAVAILABLE) {
                                return retry(uri, page, attempt, null, failure.getMessage());
                            }
                            return Future.failedFuture(cause);
                        }
                        return answer(done.result(), uri, page, attempt);
                    });
        }

        private Future<JsonObject> answer(BoundedHttpGet.Reply reply, URI uri, int page, int attempt) {
            int status = reply.status();
            if (reply.ok()) {
                try {
                    return Future.succeededFuture(new JsonObject(reply.body()));
                } catch (DecodeException | ClassCastException e) {
                    return Future.failedFuture(new ProviderException(NAME, ProviderError.NOT_JSON,
                            "page " + page + " is not a JSON object: " + snippet(reply)));
                }
            }
            if (status == 401 || status == 403) {
                return Future.failedFuture(new ProviderException(NAME, ProviderError.KEY_REJECTED,
                        "ScraperAPI refused the API key (HTTP " + status + "): check scraperapi_key / SCRAPERAPI_KEY"
                                + " and the account's credits; answer: " + snippet(reply)));
            }
            if (status == 429 || status >= 500) {
                return retry(uri, page, attempt, reply.retryAfter(), "HTTP " + status + ": " + snippet(reply));
            }
            return Future.failedFuture(new ProviderException(NAME, ProviderError.HTTP_STATUS,
                    "ScraperAPI answered HTTP " + status + " for page " + page + ": " + snippet(reply)));
        }

        private Future<JsonObject> retry(URI uri, int page, int attempt, String retryAfter, String why) {
            if (!settings.retry().mayRetry(attempt)) {
                return Future.failedFuture(new ProviderException(NAME, ProviderError.UNAVAILABLE,
                        "page " + page + " failed after " + attempt + " attempts; last: " + why));
            }
            Optional<Duration> delay = settings.retry().delay(attempt, retryAfter, clock.instant());
            if (delay.isEmpty()) {
                return Future.failedFuture(new ProviderException(NAME, ProviderError.UNAVAILABLE,
                        "page " + page + ": ScraperAPI asked to retry after " + retryAfter + ", longer than "
                                + settings.retry().maxRetryAfter().toMillis() + " ms (scraperapi_max_retry_after_ms); "
                                + why));
            }
            LOG.warn("scraperapi page {} attempt {} failed ({}); retrying in {} ms (client={} scan={})", page, attempt,
                    why, delay.get().toMillis(), request.clientId(), request.scanId());
            Future<Void> wait = delay.get().isZero() ? Future.succeededFuture()
                    : vertx.timer(delay.get().toMillis(), TimeUnit.MILLISECONDS).mapEmpty();
            return wait.compose(v -> attempt(uri, page, attempt + 1));
        }

        private String snippet(BoundedHttpGet.Reply reply) {
            String text = reply.body().toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
            if (settings.apiKey() != null) {
                text = text.replace(settings.apiKey(), "***");
            }
            return text.length() > MAX_BODY_IN_ERROR ? text.substring(0, MAX_BODY_IN_ERROR) + "..." : text;
        }

        FetchedListings result() {
            Rejections rejections = tally.snapshot();
            LOG.info("scraperapi fetched {} listings, {} dropped {}, {} pages, truncated={} (client={} scan={})",
                    listings.size(), rejections.total(), rejections.byCode(), pages, truncated, request.clientId(),
                    request.scanId());
            return new FetchedListings(NAME, listings, rejections, pages, truncated);
        }
    }
}
