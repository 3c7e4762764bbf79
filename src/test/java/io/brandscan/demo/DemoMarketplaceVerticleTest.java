package io.brandscan.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.embedding.image.DecodedImage;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.image.ImageFormat;
import io.brandscan.embedding.scoring.BrandReference;
import io.brandscan.embedding.scoring.BrandScoringConfig;
import io.brandscan.embedding.scoring.ImageSimilarity;
import io.brandscan.embedding.text.BrandTerms;
import io.brandscan.embedding.text.TextScorer;
import io.brandscan.gather.FetchedListings;
import io.brandscan.gather.JsonFeedProvider;
import io.brandscan.gather.JsonFeedSettings;
import io.brandscan.gather.Listing;
import io.brandscan.gather.ListingJson;
import io.brandscan.gather.ProviderRateLimiter;
import io.brandscan.gather.ProviderRequest;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo marketplace over real HTTP on 127.0.0.1, port 0. */
class DemoMarketplaceVerticleTest {
    private static final int PHASH_MATCH = ImageSimilarity.Calibration.DEFAULTS.phashMatch();
    private static final java.util.Set<String> FEED_KEYS = java.util.Set.of("url", "title", "price", "currency",
            "seller", "image_url");

    private Vertx vertx;
    private WebClient web;
    private final ImageDecoder decoder = ImageDecoder.withDefaults();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        web = WebClient.create(vertx);
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    private DemoMarketplaceVerticle deploy(JsonObject conf) {
        DemoMarketplaceVerticle v = new DemoMarketplaceVerticle();
        vertx.deployVerticle(v, new DeploymentOptions().setConfig(conf.copy().put("port", 0))).await();
        return v;
    }

    private HttpResponse<Buffer> get(String url) {
        return web.getAbs(url).send().await();
    }

    private JsonArray feed(DemoMarketplaceVerticle v) {
        HttpResponse<Buffer> r = get(v.baseUrl() + "/feed.json");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.getHeader("content-type"));
        return r.bodyAsJsonArray();
    }

    private JsonObject truth(DemoMarketplaceVerticle v) {
        return get(v.baseUrl() + "/truth.json").bodyAsJsonObject();
    }

    @Test
    void theFeedHasTheConfiguredCountOfValidListings() {
        DemoMarketplaceVerticle v = deploy(new JsonObject().put("size", 40).put("seed", 9));
        assertTrue(v.baseUrl().matches("http://127\\.0\\.0\\.1:[0-9]+"), v.baseUrl());
        JsonArray feed = feed(v);
        assertEquals(40, feed.size());
        for (Object entry : feed) {
            JsonObject json = (JsonObject) entry;
            assertEquals(FEED_KEYS, json.fieldNames(), "only the feed's fields, no ground truth: " + json);
            ListingJson.Parsed parsed = ListingJson.fromJson(entry);
            assertTrue(parsed.ok(), () -> parsed.reason() + " " + parsed.detail() + " " + entry);
            Listing l = parsed.listing();
            assertTrue(l.url().startsWith(v.baseUrl() + "/listing/"), l.url());
            assertTrue(l.imageUrl().startsWith(v.baseUrl() + "/images/"), l.imageUrl());
            assertEquals("USD", l.currency());
            assertTrue(l.price().signum() > 0);
        }
        // the listing page shows the listing
        JsonObject first = feed.getJsonObject(0);
        HttpResponse<Buffer> page = get(first.getString("url"));
        assertEquals(200, page.statusCode());
        assertTrue(page.getHeader("content-type").startsWith("text/html"));
        String html = page.bodyAsString();
        assertTrue(html.contains(first.getString("seller").replace("&", "&amp;")), html);
        assertTrue(html.contains(new java.math.BigDecimal(first.getValue("price").toString()).toPlainString()), html);
        assertTrue(html.contains("/images/0001.jpg"), html);
        // the ground truth is consistent with the feed
        JsonObject truth = truth(v);
        assertEquals(40, truth.getInteger("size"));
        assertEquals(12, truth.getInteger("infringing"));
        assertEquals(12, truth.getJsonArray("listings").stream()
                .filter(o -> ((JsonObject) o).getBoolean("infringing")).count());
        for (int i = 0; i < 40; i++) {
            assertEquals(feed.getJsonObject(i).getString("url"), truth.getJsonArray("listings").getJsonObject(i).getString("url"));
        }
    }

    @Test
    void theSameSeedServesTheSameFeedAndPhotosAnotherSeedAnotherFeed() {
        DemoMarketplaceVerticle a = deploy(new JsonObject().put("seed", 77).put("size", 30));
        DemoMarketplaceVerticle b = deploy(new JsonObject().put("seed", 77).put("size", 30));
        DemoMarketplaceVerticle c = deploy(new JsonObject().put("seed", 78).put("size", 30));
        String feedA = feed(a).encode().replace(a.baseUrl(), "BASE");
        assertEquals(feedA, feed(b).encode().replace(b.baseUrl(), "BASE"));
        assertNotEquals(feedA, feed(c).encode().replace(c.baseUrl(), "BASE"));
        assertEquals(truth(a).encode().replace(a.baseUrl(), "BASE"), truth(b).encode().replace(b.baseUrl(), "BASE"));
        for (String id : List.of("0001", "0002", "0017")) {
            assertArrayEquals(get(a.baseUrl() + "/images/" + id + ".jpg").body().getBytes(),
                    get(b.baseUrl() + "/images/" + id + ".jpg").body().getBytes(), "photo " + id);
        }
    }

    /**
     * Every photo decodes; a copy that keeps the hashes is within the image score's pHash match
     * line of the reference it copies, and no clean photo is within it of any reference.
     */
    @Test
    void everyPhotoDecodesInfringingOnesAreNearCopiesAndCleanOnesAreNot() {
        DemoMarketplaceVerticle v = deploy(new JsonObject());
        List<ImageFingerprint> references = new ArrayList<>();
        for (int n = 0; n < DemoBrand.PRODUCTS.size(); n++) {
            references.add(ImageFingerprint.of(photo(v.baseUrl() + "/reference/" + n + ".jpg").image()));
        }
        int copiesChecked = 0;
        int cleanChecked = 0;
        for (Object o : truth(v).getJsonArray("listings")) {
            JsonObject t = (JsonObject) o;
            DecodedImage image = photo(t.getString("image_url"));
            assertEquals(ImageFormat.JPEG, image.format());
            ImageFingerprint fp = ImageFingerprint.of(image.image());
            DemoEdit edit = Arrays.stream(DemoEdit.values()).filter(e -> e.label().equals(t.getString("edit")))
                    .findFirst().orElseThrow();
            if (t.getBoolean("infringing")) {
                String ref = t.getString("reference");
                int n = Integer.parseInt(ref.substring(ref.lastIndexOf('/') + 1, ref.length() - 4));
                int distance = references.get(n).distance(fp).pHash();
                if (edit.keepsHashes()) {
                    assertTrue(distance <= PHASH_MATCH, t.encode() + " pHash " + distance);
                    copiesChecked++;
                }
            } else {
                assertNull(t.getString("reference"));
                for (ImageFingerprint ref : references) {
                    int distance = ref.distance(fp).pHash();
                    assertTrue(distance > PHASH_MATCH, t.encode() + " is " + distance + " from a reference");
                }
                cleanChecked++;
            }
        }
        assertTrue(copiesChecked >= 8, "copies checked: " + copiesChecked);
        assertEquals(42, cleanChecked);
    }

    private DecodedImage photo(String url) {
        HttpResponse<Buffer> r = get(url);
        assertEquals(200, r.statusCode(), url);
        assertEquals("image/jpeg", r.getHeader("content-type"), url);
        return decoder.decode(r.body().getBytes());
    }

    @Test
    void photosAreRenderedOnceConcurrentRequestsShareOneRenderAndTheCacheIsBounded() {
        DemoMarketplaceVerticle v = deploy(new JsonObject().put("image_cache_entries", 2));
        List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(web.getAbs(v.baseUrl() + "/images/0003.jpg").send());
        }
        Future.all(burst).await();
        byte[] first = burst.get(0).result().body().getBytes();
        for (Future<HttpResponse<Buffer>> r : burst) {
            assertArrayEquals(first, r.result().body().getBytes());
        }
        assertEquals(1, v.renders(), "eight requests, one render");
        get(v.baseUrl() + "/images/0003.jpg");
        assertEquals(1, v.renders(), "served from the cache");
        get(v.baseUrl() + "/images/0004.jpg");
        get(v.baseUrl() + "/images/0005.jpg");
        assertEquals(3, v.renders());
        assertArrayEquals(first, get(v.baseUrl() + "/images/0003.jpg").body().getBytes());
        assertEquals(4, v.renders(), "0003 was evicted by two newer photos (image_cache_entries 2)");
    }

    /**
     * Past max_pending_renders a photo request is refused at once with 503 and Retry-After, not
     * queued. The test occupies the single render thread itself, so the order is certain.
     */
    @Test
    void pastMaxPendingRendersPhotosAre503WithRetryAfter() throws Exception {
        DemoMarketplaceVerticle v = deploy(new JsonObject().put("render_workers", 1).put("max_pending_renders", 1));
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        io.vertx.core.WorkerExecutor pool = vertx.createSharedWorkerExecutor(DemoMarketplaceVerticle.RENDER_POOL, 1);
        Future<Boolean> blocker = pool.executeBlocking(() -> hold.await(30, java.util.concurrent.TimeUnit.SECONDS));
        Future<HttpResponse<Buffer>> a = web.getAbs(v.baseUrl() + "/images/0001.jpg").send();
        Future<HttpResponse<Buffer>> b = web.getAbs(v.baseUrl() + "/images/0002.jpg").send();
        // one of the two is pending behind the blocked render thread, so the first answer is the refusal
        HttpResponse<Buffer> refused = Future.any(a, b).await().<HttpResponse<Buffer>>resultAt(
                a.isComplete() ? 0 : 1);
        assertEquals(503, refused.statusCode());
        assertEquals("1", refused.getHeader("retry-after"));
        assertEquals("busy", refused.bodyAsJsonObject().getString("error"));
        hold.countDown();
        assertTrue(blocker.await());
        HttpResponse<Buffer> served = (a.result() == refused ? b : a).await();
        assertEquals(200, served.statusCode());
        assertEquals(200, get(v.baseUrl() + "/images/0001.jpg").statusCode(), "a refused photo can be asked again");
        pool.close();
    }

    @Test
    void theBrandDocumentValidatesAndItsReferencePhotosAreServed() {
        DemoMarketplaceVerticle v = deploy(new JsonObject());
        JsonObject doc = get(v.baseUrl() + "/brand.json").bodyAsJsonObject();
        assertEquals(v.brandDocument(), doc);
        Map<String, Object> map = doc.getMap();
        BrandScoringConfig config = BrandScoringConfig.fromBrand(map);
        assertEquals(BrandScoringConfig.DEFAULTS.weights(), config.weights());
        assertEquals(DemoBrand.BONUS_FLOOR, config.thresholds().bonusFloor());
        assertEquals(BrandScoringConfig.DEFAULTS.thresholds().infringement(), config.thresholds().infringement());
        BrandTerms terms = BrandReference.brandTerms(map);
        assertEquals(List.of(DemoBrand.NAME), terms.names());
        assertEquals(DemoBrand.MISSPELLINGS, terms.misspellings());
        assertEquals(DemoBrand.KEYWORDS, terms.keywords());
        BrandReference brand = BrandReference.fromBrandDocument("astra", map, List.of(),
                TextScorer.lexicalOnly().profile(terms));
        assertEquals(DemoBrand.REFERENCE_PRICE, brand.referencePrice());
        assertEquals("USD", brand.referenceCurrency());
        assertTrue(brand.authorisedSellers().allows("astra outfitters official"));
        assertEquals(new JsonObject().put("type", "json-feed").put("url", v.baseUrl() + "/feed.json"),
                doc.getJsonObject("provider"));
        JsonArray refs = doc.getJsonArray("reference_images");
        assertEquals(4, refs.size());
        for (int n = 0; n < refs.size(); n++) {
            DecodedImage ref = photo(refs.getString(n));
            java.awt.image.BufferedImage source = new DemoImages().source(DemoBrand.referencePhoto(n));
            assertEquals(source.getWidth(), ref.width(), "reference " + n + " is the whole photo");
            assertEquals(source.getHeight(), ref.height(), "reference " + n + " is the whole photo");
            int distance = ImageFingerprint.of(source).distance(ImageFingerprint.of(ref.image())).pHash();
            assertTrue(distance <= 3, "reference " + n + " is the bundled photo, JPEG-encoded: pHash " + distance);
        }
        assertEquals(DemoBrand.document(v.baseUrl() + "/"), doc, "a trailing slash on the base changes nothing");
    }

    @Test
    void pagesFollowNextToTheWholeFeedAndTheJsonFeedProviderReadsThem() {
        DemoMarketplaceVerticle paged = deploy(new JsonObject().put("page_size", 25));
        DemoMarketplaceVerticle whole = deploy(new JsonObject());
        List<Object> listings = new ArrayList<>();
        String next = paged.baseUrl() + "/feed.json";
        int pages = 0;
        while (next != null) {
            JsonObject page = get(next).bodyAsJsonObject();
            listings.addAll(page.getJsonArray("listings").getList());
            assertTrue(page.containsKey("next"), "next is present, null on the last page");
            next = page.getString("next");
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(feed(whole).encode().replace(whole.baseUrl(), "BASE"),
                new JsonArray(listings).encode().replace(paged.baseUrl(), "BASE"));
        for (String bad : List.of("0", "4", "x", "-1")) {
            HttpResponse<Buffer> r = get(paged.baseUrl() + "/feed.json?page=" + bad);
            assertEquals(404, r.statusCode(), bad);
            assertEquals("not_found", r.bodyAsJsonObject().getString("error"));
        }
        JsonFeedProvider provider = new JsonFeedProvider(vertx, JsonFeedSettings.fromConfig(new JsonObject()),
                uri -> "127.0.0.1".equals(uri.getHost()) ? Future.succeededFuture() : Future.failedFuture("not loopback"),
                ProviderRateLimiter.UNLIMITED);
        FetchedListings fetched = provider.fetch(ProviderRequest.feed("client-1", "scan-1",
                URI.create(paged.baseUrl() + "/feed.json"))).await();
        assertEquals(60, fetched.listings().size());
        assertEquals(3, fetched.pages());
    }

    /** The benchmark's size: 2,000 listings in four pages of 500, every url distinct. */
    @Test
    void twoThousandListingsInPages() {
        DemoMarketplaceVerticle v = deploy(new JsonObject().put("size", 2_000).put("page_size", 500)
                .put("infringing_share", 0.25));
        java.util.Set<String> urls = new java.util.HashSet<>();
        String next = v.baseUrl() + "/feed.json";
        int pages = 0;
        while (next != null) {
            JsonObject page = get(next).bodyAsJsonObject();
            for (Object entry : page.getJsonArray("listings")) {
                assertTrue(ListingJson.fromJson(entry).ok(), entry.toString());
                urls.add(((JsonObject) entry).getString("url"));
            }
            next = page.getString("next");
            pages++;
        }
        assertEquals(4, pages);
        assertEquals(2_000, urls.size());
        assertEquals(500, truth(v).getInteger("infringing"));
        assertEquals(200, get(v.baseUrl() + "/images/2000.jpg").statusCode());
        assertEquals(404, get(v.baseUrl() + "/images/2001.jpg").statusCode());
    }

    @Test
    void unknownIdsAndPathsAre404WithAJsonError() {
        DemoMarketplaceVerticle v = deploy(new JsonObject().put("size", 10));
        for (String path : List.of("/listing/0011", "/listing/x", "/images/0011.jpg", "/images/0001.png",
                "/images/.jpg", "/images/0001", "/reference/4.jpg", "/reference/-1.jpg", "/reference/x.jpg",
                "/reference/0.png", "/nothing-here", "/images/..%2Ftruth.json")) {
            HttpResponse<Buffer> r = get(v.baseUrl() + path);
            assertEquals(404, r.statusCode(), path);
            assertEquals("not_found", r.bodyAsJsonObject().getString("error"), path);
        }
        HttpResponse<Buffer> post = web.postAbs(v.baseUrl() + "/feed.json").send().await();
        assertEquals(405, post.statusCode());
        assertEquals(200, get(v.baseUrl() + "/images/0010.jpg").statusCode());
        assertEquals(200, get(v.baseUrl() + "/").statusCode());
    }

    @Test
    void badConfigurationStopsTheDeploymentNamingTheKey() {
        for (var bad : List.of(
                Map.entry(new JsonObject().put("size", 0), "size"),
                Map.entry(new JsonObject().put("size", 20_000), "size"),
                Map.entry(new JsonObject().put("infringing_share", 1.5), "infringing_share"),
                Map.entry(new JsonObject().put("seed", "abc"), "seed"),
                Map.entry(new JsonObject().put("page_size", -1), "page_size"),
                Map.entry(new JsonObject().put("image_cache_entries", 0), "image_cache_entries"),
                Map.entry(new JsonObject().put("render_workers", 1.5), "render_workers"),
                Map.entry(new JsonObject().put("host", ""), "host"))) {
            Exception e = assertThrows(Exception.class, () -> deploy(bad.getKey()), bad.getKey().encode());
            assertTrue(e.getMessage().contains(bad.getValue()), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> DemoMarketplaceSettings.fromJson(new JsonObject().put("port", 70_000)));
        DemoMarketplaceSettings d = DemoMarketplaceSettings.fromJson(null);
        assertEquals("127.0.0.1", d.host());
        assertEquals(DemoMarketplaceSettings.DEFAULT_PORT, d.port());
        assertEquals(DemoCatalogSettings.DEFAULTS, d.catalog());
        assertEquals(0, d.pageSize());
        assertNull(d.publicUrl());
        assertEquals("http://demo.example:9", DemoMarketplaceSettings.fromJson(new JsonObject()
                .put("public_url", "http://demo.example:9/")).publicUrl(), "feed URLs never get a double slash");
    }
}
