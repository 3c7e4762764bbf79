package io.brandscan.gather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ScraperAPI provider against a local server that answers like ScraperAPI's structured
 * Amazon search (fixtures in src/test/resources/scraperapi, written from its documented fields).
 */
class ScraperApiProviderTest {
    private static final String KEY = "test-key-5f2c";

    private Vertx vertx;
    private LocalServer server;
    /** Scripted answers served before the fixtures, one per request. */
    private final ConcurrentLinkedDeque<Handler<RoutingContext>> script = new ConcurrentLinkedDeque<>();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        Router routes = Router.router(vertx);
        routes.get(ScraperApiProvider.SEARCH_PATH).handler(ctx -> {
            arrivals.add(System.nanoTime());
            if (!KEY.equals(ctx.request().getParam("api_key"))) {
                ctx.response().setStatusCode(401)
                        .end("Unauthorized request, please make sure your API key is valid.");
                return;
            }
            Handler<RoutingContext> scripted = script.poll();
            if (scripted != null) {
                scripted.handle(ctx);
                return;
            }
            int page = Integer.parseInt(ctx.request().getParam("page", "1"));
            ctx.response().putHeader("content-type", "application/json; charset=utf-8").end(fixture(page));
        });
        server = LocalServer.start(vertx, routes);
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    static String fixture(int page) {
        String name = "/scraperapi/amazon-search-page" + page + ".json";
        try (InputStream in = ScraperApiProviderTest.class.getResourceAsStream(name)) {
            if (in == null) {
                return "{\"ads\":[],\"results\":[],\"explore_more_items\":[],\"pagination\":[]}";
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonObject conf() {
        return new JsonObject().put("scraperapi_key", KEY).put("scraperapi_base_url", server.base() + "/")
                .put("scraperapi_backoff_base_ms", 10).put("scraperapi_backoff_max_ms", 40)
                .put("scraperapi_max_retry_after_ms", 5_000);
    }

    private ScraperApiProvider provider(JsonObject conf, ProviderRateLimiter limiter) {
        return new ScraperApiProvider(vertx, ScraperApiSettings.fromConfig(conf), limiter, Clock.systemUTC());
    }

    private ScraperApiProvider provider(JsonObject conf) {
        return provider(conf, ProviderRateLimiter.UNLIMITED);
    }

    private static ProviderRequest search(String query) {
        return ProviderRequest.search("client-7", "scan-42", query);
    }

    @Test
    void theRequestHasScraperApisPathAndParameters() {
        provider(conf().put("max_pages", 1).put("scraperapi_country", "de").put("scraperapi_tld", "de"))
                .fetch(search("  nike air max & co  ")).await();

        assertEquals(1, server.totalHits());
        LocalServer.Hit hit = server.hits().get(0);
        assertEquals("/structured/amazon/search", hit.path());
        assertEquals(KEY, hit.params().get("api_key"));
        assertEquals("nike air max & co", hit.params().get("query"));
        assertEquals("de", hit.params().get("country"));
        assertEquals("de", hit.params().get("tld"));
        assertEquals("1", hit.params().get("page"));
        assertEquals(5, hit.params().size(), "no stray parameters: " + hit.params().names());
    }

    @Test
    void threePagesAreReadAndMappedToListings() {
        FetchedListings fetched = provider(conf()).fetch(search("nike air max")).await();

        assertEquals(List.of("1", "2", "3"), server.hits().stream().map(h -> h.params().get("page")).toList());
        assertEquals(3, fetched.pages());
        assertFalse(fetched.truncated(), "page 3's empty pagination ends the search");
        assertEquals(38, fetched.listings().size());
        assertEquals(1, fetched.rejections().count(RejectReason.MISSING_IMAGE_URL));
        assertEquals(1, fetched.rejections().count(RejectReason.BAD_URL));

        JsonObject firstResult = new JsonObject(fixture(1)).getJsonArray("results").getJsonObject(0);
        Listing first = fetched.listings().get(0);
        assertEquals(firstResult.getString("url"), first.url());
        assertEquals(firstResult.getString("name"), first.title());
        assertEquals(firstResult.getString("image"), first.imageUrl());
        assertEquals(new BigDecimal(firstResult.getValue("price").toString()), first.price());
        assertEquals("USD", first.currency());
        assertNull(first.seller(), "search results name no seller");
        assertEquals(firstResult.getString("asin"), first.extras().get("asin"));
        assertEquals(firstResult.getValue("stars").toString(), first.extras().get("rating"));

        Listing textPriced = fetched.listings().get(3);
        assertEquals(new BigDecimal("1299.99"), textPriced.price(), "price null, price_string \"$1,299.99\"");
        Listing unpriced = fetched.listings().get(5);
        assertNull(unpriced.price());
        assertEquals(0, fetched.listings().stream().filter(l -> l.title().startsWith("Sponsored")).count(),
                "ads are not organic results");
    }

    @Test
    void maxPagesAndMaxListingsBoundTheSearch() {
        FetchedListings twoPages = provider(conf().put("max_pages", 2)).fetch(search("nike")).await();
        assertEquals(2, server.totalHits());
        assertEquals(30, twoPages.listings().size());
        assertTrue(twoPages.truncated());

        FetchedListings capped = provider(conf().put("max_listings", 20)).fetch(search("nike")).await();
        assertEquals(20, capped.listings().size());
        assertTrue(capped.truncated());
        assertEquals(4, server.totalHits(), "two more pages for 20 listings, not three");
    }

    @Test
    void a503IsRetriedThenSucceeds() {
        script.add(ctx -> ctx.response().setStatusCode(503).end("Service Unavailable"));

        FetchedListings fetched = provider(conf().put("max_pages", 1)).fetch(search("nike")).await();

        assertEquals(2, server.totalHits());
        assertEquals(15, fetched.listings().size());
    }

    @Test
    void a429WithRetryAfterIsHonoured() {
        script.add(ctx -> ctx.response().setStatusCode(429).putHeader("Retry-After", "1").end("Too many requests"));

        FetchedListings fetched = provider(conf().put("max_pages", 1)).fetch(search("nike")).await();

        assertEquals(15, fetched.listings().size());
        assertEquals(2, arrivals.size());
        long gapMillis = (arrivals.get(1) - arrivals.get(0)) / 1_000_000;
        // a lower bound only: the backoff alone would be 10 ms, so anything near 1 s proves Retry-After won
        assertTrue(gapMillis >= 990, "retried after " + gapMillis + " ms, Retry-After said 1 s");
    }

    @Test
    void aRetryAfterLongerThanAllowedFailsAtOnce() {
        script.add(ctx -> ctx.response().setStatusCode(429).putHeader("Retry-After", "3600").end());

        ProviderException failed = assertThrows(ProviderException.class,
                () -> provider(conf()).fetch(search("nike")).await());

        assertEquals(ProviderError.UNAVAILABLE, failed.error());
        assertTrue(failed.getMessage().contains("scraperapi_max_retry_after_ms"), failed.getMessage());
        assertEquals(1, server.totalHits());
    }

    @Test
    void persistentServerErrorsStopAfterMaxAttempts() {
        for (int i = 0; i < 10; i++) {
            script.add(ctx -> ctx.response().setStatusCode(500).end("{\"error\":\"internal\"}"));
        }

        ProviderException failed = assertThrows(ProviderException.class,
                () -> provider(conf().put("scraperapi_max_attempts", 3)).fetch(search("nike")).await());

        assertEquals(ProviderError.UNAVAILABLE, failed.error());
        assertTrue(failed.retryable());
        assertTrue(failed.getMessage().contains("after 3 attempts"), failed.getMessage());
        assertEquals(3, server.totalHits());
    }

    @Test
    void aTimeoutIsRetried() {
        script.add(ctx -> {
            // never answers: the provider's deadline must cut it off
        });

        FetchedListings fetched = provider(conf().put("max_pages", 1).put("scraperapi_timeout_ms", 300))
                .fetch(search("nike")).await();

        assertEquals(2, server.totalHits());
        assertEquals(15, fetched.listings().size());
    }

    @Test
    void aRejectedKeyFailsWithoutRetryAndWithoutLeakingIt() {
        ProviderException rejected = assertThrows(ProviderException.class,
                () -> provider(conf().put("scraperapi_key", "wrong-key-9a7d")).fetch(search("nike")).await());

        assertEquals(ProviderError.KEY_REJECTED, rejected.error());
        assertFalse(rejected.retryable());
        assertTrue(rejected.getMessage().contains("HTTP 401"), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("scraperapi_key"), rejected.getMessage());
        assertFalse(rejected.getMessage().contains("wrong-key-9a7d"), rejected.getMessage());
        assertEquals(1, server.totalHits());

        script.add(ctx -> ctx.response().setStatusCode(403).end("You have exhausted the API Credits available"));
        ProviderException forbidden = assertThrows(ProviderException.class,
                () -> provider(conf()).fetch(search("nike")).await());
        assertEquals(ProviderError.KEY_REJECTED, forbidden.error());
        assertTrue(forbidden.getMessage().contains("exhausted"), forbidden.getMessage());
        assertEquals(2, server.totalHits());
    }

    @Test
    void aBadRequestIsNotRetried() {
        script.add(ctx -> ctx.response().setStatusCode(400).end("Missing query parameter"));

        ProviderException failed = assertThrows(ProviderException.class,
                () -> provider(conf()).fetch(search("nike")).await());

        assertEquals(ProviderError.HTTP_STATUS, failed.error());
        assertEquals(1, server.totalHits());
    }

    @Test
    void aMissingKeyFailsBeforeAnyRequest() {
        for (JsonObject conf : List.of(conf().putNull("scraperapi_key"), conf().put("scraperapi_key", "  "))) {
            ProviderException missing = assertThrows(ProviderException.class,
                    () -> provider(conf).fetch(search("nike")).await());
            assertEquals(ProviderError.MISSING_KEY, missing.error());
            assertTrue(missing.getMessage().contains("SCRAPERAPI_KEY"), missing.getMessage());
        }
        assertEquals(0, server.totalHits());
    }

    @Test
    void theKeyCanComeFromTheEnvironmentThroughConf() {
        JsonObject withoutKey = conf().copy();
        withoutKey.remove("scraperapi_key");

        JsonObject filled = ScraperApiSettings.withEnvironment(withoutKey, Map.of("SCRAPERAPI_KEY", KEY));
        assertEquals(KEY, filled.getString("scraperapi_key"));
        assertEquals(1, provider(filled.put("max_pages", 1)).fetch(search("nike")).await().pages());

        JsonObject confWins = ScraperApiSettings.withEnvironment(conf().put("scraperapi_key", "from-conf"),
                Map.of("SCRAPERAPI_KEY", "from-env"));
        assertEquals("from-conf", confWins.getString("scraperapi_key"));
        assertFalse(ScraperApiSettings.fromConfig(conf()).toString().contains(KEY), "settings never print the key");
    }

    @Test
    void aNonJsonOrShapelessAnswerFailsClearly() {
        script.add(ctx -> ctx.response().end("<html>captcha</html>"));
        assertEquals(ProviderError.NOT_JSON, assertThrows(ProviderException.class,
                () -> provider(conf()).fetch(search("nike")).await()).error());

        script.add(ctx -> ctx.response().end("{\"error\":\"no results key\"}"));
        assertEquals(ProviderError.WRONG_SHAPE, assertThrows(ProviderException.class,
                () -> provider(conf()).fetch(search("nike")).await()).error());
    }

    @Test
    void everyRequestIncludingRetriesAsksTheRateLimiterFirst() {
        List<String> asked = new CopyOnWriteArrayList<>();
        ProviderRateLimiter counting = (provider, client) -> {
            asked.add(provider + "/" + client + "@" + server.totalHits());
            return Future.succeededFuture();
        };
        script.add(ctx -> ctx.response().setStatusCode(502).end());

        provider(conf().put("max_pages", 2), counting).fetch(search("nike")).await();

        assertEquals(List.of("scraperapi/client-7@0", "scraperapi/client-7@1", "scraperapi/client-7@2"), asked);
        assertEquals(3, server.totalHits());
    }

    @Test
    void aRateLimiterRefusalStopsTheSearchBeforeTheRequest() {
        ProviderRateLimiter refusing = (provider, client) -> Future.failedFuture(
                new ProviderException(provider, ProviderError.RATE_LIMITED, "too many requests for " + client));

        ProviderException limited = assertThrows(ProviderException.class,
                () -> provider(conf(), refusing).fetch(search("nike")).await());

        assertEquals(ProviderError.RATE_LIMITED, limited.error());
        assertEquals(0, server.totalHits());
    }

    @Test
    void aRequestWithoutAQueryFails() {
        assertEquals(ProviderError.BAD_REQUEST, assertThrows(ProviderException.class,
                () -> provider(conf()).fetch(ProviderRequest.search("c", "s", " ")).await()).error());
        assertEquals(0, server.totalHits());
    }
}
