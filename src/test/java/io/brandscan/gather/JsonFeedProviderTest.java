package io.brandscan.gather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** json-feed against a real local HTTP server: paging, bounds, bad documents and the URL guard. */
class JsonFeedProviderTest {
    private Vertx vertx;
    private Router routes;
    private LocalServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        routes = Router.router(vertx);
        server = LocalServer.start(vertx, routes);
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    private JsonFeedProvider provider(JsonObject conf, FeedUrlGuard guard) {
        return new JsonFeedProvider(vertx, JsonFeedSettings.fromConfig(conf), guard, ProviderRateLimiter.UNLIMITED);
    }

    private JsonFeedProvider provider(JsonObject conf) {
        return provider(conf, LoopbackGuard.allowLoopback());
    }

    private static ProviderRequest feed(URI uri) {
        return ProviderRequest.feed("client-1", "scan-1", uri);
    }

    static JsonObject item(int i) {
        return new JsonObject().put("url", "https://shop.example/item/" + i).put("title", "Item " + i)
                .put("price", 10 + i).put("currency", "usd").put("seller", "seller-" + (i % 7))
                .put("image_url", "https://img.example/" + i + ".jpg");
    }

    private static JsonArray items(int from, int to) {
        JsonArray array = new JsonArray();
        for (int i = from; i < to; i++) {
            array.add(item(i));
        }
        return array;
    }

    private void serve(String path, Object body) {
        routes.get(path).handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(body.toString()));
    }

    @Test
    void twoHundredFiftyListingsAsABareArray() {
        serve("/feed.json", items(0, 250));

        FetchedListings fetched = provider(new JsonObject()).fetch(feed(server.uri("/feed.json"))).await();

        assertEquals(250, fetched.listings().size());
        assertEquals(1, fetched.pages());
        assertFalse(fetched.truncated());
        assertEquals(0, fetched.rejections().total());
        Listing first = fetched.listings().get(0);
        assertEquals("https://shop.example/item/0", first.url());
        assertEquals("Item 0", first.title());
        assertEquals(new BigDecimal("10"), first.price());
        assertEquals("USD", first.currency());
        assertEquals("seller-0", first.seller());
        assertEquals("https://img.example/0.jpg", first.imageUrl());
        assertEquals("https://shop.example/item/249", fetched.listings().get(249).url());
    }

    @Test
    void twoHundredFiftyListingsAcrossThreePagesByNext() {
        serve("/p1", new JsonObject().put("listings", items(0, 100)).put("next", "/p2"));
        routes.get("/p2").handler(ctx -> ctx.response().end(new JsonObject().put("listings", items(100, 200))
                .put("next", server.base() + "/p3?after=200").encode()));
        serve("/p3", new JsonObject().put("listings", items(200, 250)).putNull("next"));

        FetchedListings fetched = provider(new JsonObject()).fetch(feed(server.uri("/p1"))).await();

        assertEquals(250, fetched.listings().size());
        assertEquals(3, fetched.pages());
        assertFalse(fetched.truncated());
        for (int i = 0; i < 250; i++) {
            assertEquals("https://shop.example/item/" + i, fetched.listings().get(i).url(), "order kept at " + i);
        }
        assertEquals(1, server.hits("/p1"));
        assertEquals(1, server.hits("/p2"));
        assertEquals(1, server.hits("/p3"));
        assertEquals("200", server.hits().get(2).params().get("after"));
    }

    @Test
    void maxListingsStopsTheWalkWithoutReadingFurtherPages() {
        serve("/p1", new JsonObject().put("listings", items(0, 100)).put("next", "/p2"));
        serve("/p2", new JsonObject().put("listings", items(100, 200)).put("next", "/p3"));
        serve("/p3", new JsonObject().put("listings", items(200, 250)));

        FetchedListings fetched = provider(new JsonObject().put("max_listings", 150)).fetch(feed(server.uri("/p1"))).await();

        assertEquals(150, fetched.listings().size());
        assertTrue(fetched.truncated());
        assertEquals(0, server.hits("/p3"));

        FetchedListings perRequest = provider(new JsonObject())
                .fetch(feed(server.uri("/p1")).withMaxListings(30)).await();
        assertEquals(30, perRequest.listings().size());
        assertTrue(perRequest.truncated());
    }

    @Test
    void feedMaxPagesBoundsTheWalk() {
        serve("/p1", new JsonObject().put("listings", items(0, 10)).put("next", "/p2"));
        serve("/p2", new JsonObject().put("listings", items(10, 20)).put("next", "/p3"));
        serve("/p3", new JsonObject().put("listings", items(20, 30)));

        FetchedListings fetched = provider(new JsonObject().put("feed_max_pages", 2)).fetch(feed(server.uri("/p1"))).await();

        assertEquals(20, fetched.listings().size());
        assertEquals(2, fetched.pages());
        assertTrue(fetched.truncated());
        assertEquals(0, server.hits("/p3"));
    }

    @Test
    void aNextThatPointsBackStopsInsteadOfLooping() {
        serve("/loop", new JsonObject().put("listings", items(0, 5)).put("next", "/loop"));

        FetchedListings fetched = provider(new JsonObject()).fetch(feed(server.uri("/loop"))).await();

        assertEquals(5, fetched.listings().size());
        assertEquals(1, server.hits("/loop"));
    }

    @Test
    void invalidEntriesAreDroppedWithCountedReasons() {
        JsonArray feed = new JsonArray()
                .add(item(1))
                .add(item(2).putNull("title"))
                .add(item(3).put("title", "   "))
                .add(item(4).put("url", "/relative/path"))
                .add(item(5).put("url", "javascript:alert(1)"))
                .add(item(6).put("image_url", "ftp://img.example/6.jpg"))
                .add(item(7).putNull("image_url"))
                .add(item(8).put("price", "call us"))
                .add(item(9).put("price", -5))
                .add(42)
                .add("just a string")
                .addNull()
                .add(item(13).put("title", new JsonObject().put("en", "x")))
                .add(item(14).put("price", "$1,299.99").put("currency", "dollars"))
                .add(item(15).put("url", "https://user:pw@shop.example/15"))
                .add(item(16).putNull("price").putNull("seller").putNull("currency"));

        FetchedListings fetched = provider(new JsonObject()).fetch(feed(serveFeed(feed))).await();

        assertEquals(List.of("https://shop.example/item/1", "https://shop.example/item/14", "https://shop.example/item/16"),
                fetched.listings().stream().map(Listing::url).toList());
        Rejections rejected = fetched.rejections();
        assertEquals(2, rejected.count(RejectReason.MISSING_TITLE));
        assertEquals(3, rejected.count(RejectReason.BAD_URL));
        assertEquals(1, rejected.count(RejectReason.BAD_IMAGE_URL));
        assertEquals(1, rejected.count(RejectReason.MISSING_IMAGE_URL));
        assertEquals(2, rejected.count(RejectReason.BAD_PRICE));
        assertEquals(3, rejected.count(RejectReason.NOT_AN_OBJECT));
        assertEquals(1, rejected.count(RejectReason.BAD_FIELD_TYPE));
        assertEquals(13, rejected.total());
        assertEquals(13, rejected.byCode().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(Rejections.MAX_SAMPLES, rejected.samples().size());
        assertTrue(rejected.samples().get(0).startsWith("missing_title:"), rejected.samples().toString());
        assertTrue(rejected.samples().stream().anyMatch(s -> s.contains("/relative/path")), rejected.samples().toString());

        Listing priced = fetched.listings().get(1);
        assertEquals(new BigDecimal("1299.99"), priced.price());
        assertNull(priced.currency(), "a currency that is not an ISO code is dropped, not guessed");
        Listing bare = fetched.listings().get(2);
        assertNull(bare.price());
        assertNull(bare.seller());
    }

    private URI serveFeed(JsonArray feed) {
        serve("/mixed", feed);
        return server.uri("/mixed");
    }

    @Test
    void anOversizedFeedIsRefusedWithOrWithoutContentLength() {
        String big = items(0, 400).encode();
        serve("/sized", big);
        routes.get("/chunked").handler(ctx -> {
            ctx.response().setChunked(true);
            for (int i = 0; i < big.length(); i += 4096) {
                ctx.response().write(big.substring(i, Math.min(big.length(), i + 4096)));
            }
            ctx.response().end();
        });
        JsonFeedProvider small = provider(new JsonObject().put("max_feed_bytes", 10_000));

        for (String path : List.of("/sized", "/chunked")) {
            ProviderException refused = assertThrows(ProviderException.class,
                    () -> small.fetch(feed(server.uri(path))).await(), path);
            assertEquals(ProviderError.TOO_LARGE, refused.error(), path);
            assertTrue(refused.getMessage().contains("10000 bytes"), refused.getMessage());
        }
        assertEquals(400, provider(new JsonObject()).fetch(feed(server.uri("/chunked"))).await().listings().size());
    }

    @Test
    void aFeedAboveTheInlineParseBoundIsParsedOnAWorkerAndArrivesWhole() {
        serve("/big", items(0, 2000));

        FetchedListings fetched = provider(new JsonObject().put("max_listings", 5000).put("feed_inline_parse_bytes", 1024))
                .fetch(feed(server.uri("/big"))).await();

        assertEquals(2000, fetched.listings().size());
    }

    @Test
    void badDocumentsFailWithTheirOwnCodes() {
        serve("/html", "<html><body>Not a feed</body></html>");
        serve("/object", new JsonObject().put("items", new JsonArray()));
        serve("/number", "42");
        serve("/listings-object", new JsonObject().put("listings", new JsonObject()));
        serve("/next-number", new JsonObject().put("listings", items(0, 1)).put("next", 2));
        routes.get("/boom").handler(ctx -> ctx.response().setStatusCode(500).end("{\"error\":\"db down\"}"));
        routes.get("/gone").handler(ctx -> ctx.response().setStatusCode(404).end());
        JsonFeedProvider provider = provider(new JsonObject());

        assertEquals(ProviderError.NOT_JSON, failure(provider, "/html").error());
        assertEquals(ProviderError.WRONG_SHAPE, failure(provider, "/object").error());
        assertTrue(failure(provider, "/object").getMessage().contains("no \"listings\" array"));
        assertEquals(ProviderError.WRONG_SHAPE, failure(provider, "/number").error());
        assertEquals(ProviderError.WRONG_SHAPE, failure(provider, "/listings-object").error());
        assertEquals(ProviderError.WRONG_SHAPE, failure(provider, "/next-number").error());
        ProviderException boom = failure(provider, "/boom");
        assertEquals(ProviderError.UNAVAILABLE, boom.error());
        assertTrue(boom.retryable());
        assertTrue(boom.getMessage().contains("HTTP 500"), boom.getMessage());
        ProviderException gone = failure(provider, "/gone");
        assertEquals(ProviderError.HTTP_STATUS, gone.error());
        assertFalse(gone.retryable());
    }

    private ProviderException failure(JsonFeedProvider provider, String path) {
        return assertThrows(ProviderException.class, () -> provider.fetch(feed(server.uri(path))).await(), path);
    }

    @Test
    void aSilentServerTimesOut() {
        routes.get("/silent").handler(ctx -> {
            // never answers
        });

        ProviderException timedOut = assertThrows(ProviderException.class, () -> provider(new JsonObject()
                .put("feed_timeout_ms", 300)).fetch(feed(server.uri("/silent"))).await());

        assertEquals(ProviderError.UNAVAILABLE, timedOut.error());
        assertTrue(timedOut.getMessage().contains("300 ms"), timedOut.getMessage());
    }

    @Test
    void theGuardRefusesBeforeAnyConnection() {
        serve("/feed.json", items(0, 3));
        LoopbackGuard refuseAll = new LoopbackGuard(uri -> true);

        ProviderException refused = assertThrows(ProviderException.class,
                () -> provider(new JsonObject(), refuseAll).fetch(feed(server.uri("/feed.json"))).await());

        assertEquals(ProviderError.URL_REFUSED, refused.error());
        assertEquals(0, server.totalHits());
        assertEquals(1, refuseAll.refused.size());
    }

    @Test
    void nextPagesAndRedirectsPassTheGuardToo() {
        serve("/start", new JsonObject().put("listings", items(0, 2)).put("next", "/private/page2"));
        serve("/private/page2", items(2, 4));
        routes.get("/moved").handler(ctx -> ctx.response().setStatusCode(302).putHeader("location", "/private/page2").end());
        routes.get("/old").handler(ctx -> ctx.response().setStatusCode(301).putHeader("location", "/start2").end());
        serve("/start2", items(10, 12));
        LoopbackGuard guard = new LoopbackGuard(uri -> uri.getPath().startsWith("/private"));
        JsonFeedProvider provider = provider(new JsonObject(), guard);

        assertEquals(ProviderError.URL_REFUSED, assertThrows(ProviderException.class,
                () -> provider.fetch(feed(server.uri("/start"))).await()).error());
        assertEquals(ProviderError.URL_REFUSED, assertThrows(ProviderException.class,
                () -> provider.fetch(feed(server.uri("/moved"))).await()).error());
        assertEquals(0, server.hits("/private/page2"), "a refused URL is never fetched");

        FetchedListings redirected = provider.fetch(feed(server.uri("/old"))).await();
        assertEquals(List.of("https://shop.example/item/10", "https://shop.example/item/11"),
                redirected.listings().stream().map(Listing::url).toList());
    }

    @Test
    void redirectsAreBounded() {
        routes.get("/a").handler(ctx -> ctx.response().setStatusCode(302).putHeader("location", "/b").end());
        routes.get("/b").handler(ctx -> ctx.response().setStatusCode(302).putHeader("location", "/a").end());
        routes.get("/nowhere").handler(ctx -> ctx.response().setStatusCode(302).end());

        JsonFeedProvider provider = provider(new JsonObject().put("feed_max_redirects", 3).put("feed_timeout_ms", 2000));
        assertEquals(ProviderError.BAD_REDIRECT, assertThrows(ProviderException.class,
                () -> provider.fetch(feed(server.uri("/a"))).await()).error());
        assertEquals(4, server.hits("/a") + server.hits("/b"));
        assertEquals(ProviderError.BAD_REDIRECT, assertThrows(ProviderException.class,
                () -> provider.fetch(feed(server.uri("/nowhere"))).await()).error());
    }

    @Test
    void aRequestWithoutAFeedUrlOrWithAnOddSchemeFailsClearly() {
        JsonFeedProvider provider = provider(new JsonObject());

        assertEquals(ProviderError.BAD_REQUEST, assertThrows(ProviderException.class,
                () -> provider.fetch(ProviderRequest.search("c", "s", "nike")).await()).error());
        assertEquals(ProviderError.URL_REFUSED, assertThrows(ProviderException.class,
                () -> provider.fetch(feed(URI.create("file:///etc/passwd"))).await()).error());
        assertEquals(0, server.totalHits());
    }
}
