package io.brandscan.gather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.time.SettableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The providers as gather will hold them: built from conf, chosen by name, sharing one limiter. */
class ListingProvidersTest {
    private Vertx vertx;
    private LocalServer server;
    private final SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        Router routes = Router.router(vertx);
        routes.get("/feed.json").handler(ctx -> ctx.response().end(new io.vertx.core.json.JsonArray()
                .add(JsonFeedProviderTest.item(1)).add(JsonFeedProviderTest.item(2)).encode()));
        server = LocalServer.start(vertx, routes);
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    private ListingProviders providers(JsonObject conf) {
        return ListingProviders.fromConfig(vertx, conf, LoopbackGuard.allowLoopback(),
                new TokenBucketRateLimiter(vertx, clock, conf), clock);
    }

    @Test
    void bothProvidersAreBuiltFromConfAndUnknownNamesFailClearly() {
        ListingProviders providers = providers(new JsonObject());

        assertEquals(Set.of("json-feed", "scraperapi"), providers.names());
        ProviderException unknown = assertThrows(ProviderException.class,
                () -> providers.fetch("ebay", ProviderRequest.search("c", "s", "nike")).await());
        assertEquals(ProviderError.BAD_REQUEST, unknown.error());
        assertTrue(unknown.getMessage().contains("json-feed"), unknown.getMessage());
        assertEquals(ProviderError.MISSING_KEY, assertThrows(ProviderException.class,
                () -> providers.fetch("scraperapi", ProviderRequest.search("c", "s", "nike")).await()).error());
        assertThrows(IllegalArgumentException.class, () -> providers.with(new ListingProvider() {
            @Override
            public String name() {
                return "json-feed";
            }

            @Override
            public Future<FetchedListings> fetch(ProviderRequest request) {
                return Future.failedFuture("unused");
            }
        }));
        providers.close().await();
    }

    @Test
    void theJsonFeedAsksTheRateLimiterBeforeConnecting() {
        JsonObject conf = new JsonObject().put("rate_limit_max_wait_ms", 0)
                .put("rate_limits", new JsonObject().put("json-feed", new JsonObject()
                        .put("per_minute", 1).put("burst", 10).put("client_per_minute", 1).put("client_burst", 1)));
        ListingProviders providers = providers(conf);
        ProviderRequest request = ProviderRequest.feed("client-a", "scan-1", server.uri("/feed.json"));

        assertEquals(2, providers.fetch("json-feed", request).await().listings().size());
        ProviderException limited = assertThrows(ProviderException.class,
                () -> providers.fetch("json-feed", request).await());
        assertEquals(ProviderError.RATE_LIMITED, limited.error());
        assertEquals(1, server.totalHits(), "the limited request never reached the server");
        assertEquals(2, providers.fetch("json-feed", ProviderRequest.feed("client-b", "scan-2",
                server.uri("/feed.json"))).await().listings().size(), "another client still gets through");

        clock.advanceMillis(60_000);
        assertEquals(2, providers.fetch("json-feed", request).await().listings().size());
    }

    @Test
    void aVerticleCanFetchFromItsOwnContext() {
        ListingProviders providers = providers(new JsonObject());
        Promise<FetchedListings> fetched = Promise.promise();
        vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                providers.fetch("json-feed", ProviderRequest.feed("c", "s", server.uri("/feed.json")))
                        .onComplete(fetched);
                return Future.succeededFuture();
            }
        }).await();

        assertEquals(2, fetched.future().await().listings().size());
    }
}
