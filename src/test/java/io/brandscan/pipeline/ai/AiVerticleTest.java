package io.brandscan.pipeline.ai;

import io.brandscan.bus.Addresses;
import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.image.ImageVariants;
import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.ReviewStatus;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanIds;
import io.brandscan.scan.ScanState;
import io.brandscan.store.CommitResult;
import io.brandscan.store.Finding;
import io.brandscan.store.FindingQuery;
import io.brandscan.store.Page;
import io.brandscan.store.ScanStore;
import io.brandscan.store.StoreSettings;
import io.brandscan.time.SettableClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AI verticle against real parts: ElasticMQ and mongo-java-server (DevServices), the real
 * image model behind the EmbeddingVerticle, the real MiniLM text model. Each test builds its own
 * scan in state scoring whose committed listings are written through ListingRepository.commit:
 * near-copies of the brand's reference images under look-alike titles, unrelated images under
 * unrelated titles, and listings whose image failed (no embedding) scored on text alone.
 */
class AiVerticleTest {
    private static final String CLIENT = "acme";
    private static final Path IMAGES = Path.of("src/test/resources/images");

    private static DevServices services;
    private static Vertx vertx;
    private static MongoClient raw;
    private static ScanStore store;
    private static SqsBroker broker;
    private static SqsQueue aiQueue;
    private static AiVerticle verticle;
    /** The listing documents (before commit) and which of them infringe. */
    private static final List<JsonObject> LISTINGS = new ArrayList<>();
    private static final Set<String> INFRINGING = new java.util.HashSet<>();
    private static final List<JsonObject> published = new CopyOnWriteArrayList<>();
    /** Serves reference images on an allowed loopback port. */
    private static HttpServer images;
    /** A loopback server NOT on the download allowlist: a reference pointing here must never reach it. */
    private static HttpServer canary;
    private static final AtomicInteger canaryHits = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        services = DevServices.start(new DevServicesSettings(true, 0, false, 0, null, "k", "s", true, 0, null));
        vertx = Vertx.vertx();
        buildListings();
        byte[] rocketBytes = Files.readAllBytes(IMAGES.resolve("rocket.jpg"));
        images = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(req -> {
                    if (req.path().equals("/rocket.jpg")) {
                        req.response().putHeader("content-type", "image/jpeg").end(Buffer.buffer(rocketBytes));
                    } else {
                        req.response().setStatusCode(404).end();
                    }
                }).listen().await();
        canary = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(req -> {
                    canaryHits.incrementAndGet();
                    req.response().putHeader("content-type", "image/jpeg").end(Buffer.buffer(rocketBytes));
                }).listen().await();

        JsonObject sqs = services.adapterConfig().getJsonObject("sqs").copy()
                .put("create_queues", true).put("wait_time_s", 1).put("max_receive_count", 3)
                .put("retry_backoff_s", 1).put("queues", new JsonObject().put("ai", "ai-phase-test"));
        JsonObject mongo = services.adapterConfig().getJsonObject("mongo").copy().put("db_name", "ai_test");
        raw = MongoConnection.client(vertx, mongo.copy().put("pool_name", "ai-test-reader"));
        store = await(ScanStore.over(MongoConnection.client(vertx, mongo.copy().put("pool_name", "ai-test-store")),
                StoreSettings.DEFAULTS, SettableClock.startingAt("2026-11-22T10:00:00Z")));
        broker = SqsBroker.create(vertx, sqs);
        aiQueue = await(broker.open("ai"));
        vertx.eventBus().<JsonObject>consumer(Addresses.SCAN_PROGRESS, m -> published.add(m.body()));

        await(vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));
        JsonObject conf = new JsonObject()
                // A small page so one scan takes several read-score-upsert steps.
                .put("ai", new JsonObject().put("page_size", 4))
                .put("sqs", sqs)
                .put("download", new JsonObject().put("allow", new JsonArray().add("127.0.0.1:" + images.actualPort())))
                .put("mongo", mongo.copy().put("pool_name", "ai-test-verticle"));
        verticle = new AiVerticle();
        await(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(conf)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            await(vertx.close());
        }
        if (broker != null) {
            broker.close();
        }
        if (services != null) {
            services.close();
        }
    }

    /** Listings as the acquire phase commits them: embeddings from ImageEmbedder, fingerprints as hex. */
    private static void buildListings() throws Exception {
        BufferedImage astronaut = image("astronaut.png");
        BufferedImage rocket = image("rocket.jpg");
        try (ImageEmbedder embedder = ImageEmbedder.load(EmbeddingModelSpec.defaults())) {
            // Infringing: near-copies of the references under look-alike titles.
            add(embedder, 1, ImageVariants.resize(astronaut, 0.5), "0rbitex astronaut action figure", "cheapgoods", true);
            add(embedder, 2, ImageVariants.mirror(astronaut), "Orbitecks space suit poster", "cheapgoods", true);
            add(embedder, 3, ImageVariants.jpegRecompress(rocket, 0.4f), "Orbitex rocket model kit", "cheapgoods", true);
            add(embedder, 4, ImageVariants.pad(rocket, 0.1, Color.WHITE), "rocket launch photo print", "printhub", true);
            add(embedder, 5, ImageVariants.watermark(astronaut, "SALE"), "Orbitex helmet replica", "cheapgoods", true);
            // Clean: other images under unrelated titles.
            add(embedder, 6, image("brick.png"), "Red clay bricks, pack of 10", "homestore", false);
            add(embedder, 7, image("grass.png"), "Garden lawn seed mix 5kg", "homestore", false);
            add(embedder, 8, image("coffee.png"), "Ceramic coffee mug with saucer", "kitchenco", false);
            add(embedder, 9, image("coins.png"), "Antique coin collection album", "collectors", false);
            add(embedder, 10, image("chelsea.png"), "Cat scratching post", "petshop", false);
        }
        // The image failed to download: no embedding, no fingerprint; scored on text alone.
        LISTINGS.add(listing(11, "Orbitex official space helmet", "cheapgoods"));
        INFRINGING.add(url(11));
        LISTINGS.add(listing(12, "Garden hose 20 m with nozzle", "homestore").put("price", 85.0));
    }

    private static void add(ImageEmbedder embedder, int i, BufferedImage image, String title, String seller,
                            boolean infringing) {
        JsonArray embedding = new JsonArray();
        for (float v : embedder.embed(image)) {
            embedding.add(v);
        }
        LISTINGS.add(listing(i, title, seller).put("price", infringing ? 19.99 : 85.0).put("embedding", embedding)
                .put("fingerprint", ImageFingerprint.of(image).toHex())
                .put("s3_path", "s3://images/" + i).put("width", image.getWidth()).put("height", image.getHeight())
                .put("format", "png"));
        if (infringing) {
            INFRINGING.add(url(i));
        }
    }

    private static JsonObject listing(int i, String title, String seller) {
        return new JsonObject().put("url", url(i)).put("title", title).put("price", 19.99).put("currency", "USD")
                .put("seller", seller).put("image_url", "https://img.shop.example.com/" + i + ".jpg");
    }

    private static String url(int i) {
        return "https://shop.example.com/item/" + i;
    }

    private static BufferedImage image(String name) throws Exception {
        return ImageDecoder.withDefaults().decode(Files.readAllBytes(IMAGES.resolve(name))).image();
    }

    private static JsonObject brand() {
        return new JsonObject().put("name", "Orbitex").put("names", new JsonArray().add("Orbitex"))
                .put("misspellings", new JsonArray().add("0rbitex").add("Orbitecks"))
                .put("keywords", new JsonArray().add("space").add("helmet"))
                .put("reference_images", new JsonArray()
                        .add(IMAGES.resolve("astronaut.png").toAbsolutePath().toString())
                        // Fetched through the SSRF-safe downloader: its loopback port is allowlisted.
                        .add("http://127.0.0.1:" + images.actualPort() + "/rocket.jpg")
                        // Left out, the scan still scores: a file that does not exist, a url that
                        // answers 404, and a loopback url not on the allowlist (never connected to).
                        .add(IMAGES.resolve("no-such-reference.png").toString())
                        .add("http://127.0.0.1:" + images.actualPort() + "/missing.jpg")
                        .add("http://127.0.0.1:" + canary.actualPort() + "/rocket.jpg"))
                // Clean listings sell at a normal price: an unrelated image that is faintly like a
                // reference (brick vs rocket: image_score 0.44) plus the price and seller bonuses
                // would otherwise cross 0.5 (see the report on bonus_floor); that is the scorer's
                // calibration, not this verticle's.
                .put("reference_price", 120.0);
    }

    /** A scan in state scoring with the test listings committed under batch attempt 1. */
    private static Scan committedScan(JsonObject brand, List<JsonObject> listings) throws Exception {
        String scanId = ScanIds.newScanId();
        await(store.scans().create(CLIENT, scanId, "orbitex"));
        if (brand != null) {
            await(raw.updateCollection("scans", new JsonObject().put("_id", scanId).put("client_id", CLIENT),
                    new JsonObject().put("$set", new JsonObject().put("brand", brand))));
        }
        assertTrue(await(store.scans().beginGather(CLIENT, scanId, 3)).isPresent());
        assertTrue(await(store.scans().transition(CLIENT, scanId, Set.of(ScanState.GATHERING), ScanState.ACQUIRING))
                .isPresent());
        assertTrue(await(store.scans().transition(CLIENT, scanId, Set.of(ScanState.ACQUIRING), ScanState.COMMITTING))
                .isPresent());
        CommitResult commit = await(store.listings().commit(CLIENT, new BatchKey(CLIENT, scanId, 1), listings));
        assertEquals(CommitResult.Outcome.COMMITTED, commit.outcome());
        Scan scan = commit.scan().orElseThrow();
        assertEquals(ScanState.SCORING, scan.state());
        return scan;
    }

    private static String message(Scan scan) {
        return new AiMessage(CLIENT, scan.id(), new BatchKey(CLIENT, scan.id(), 1)).toBody();
    }

    @Test
    void scoresEveryCommittedListingStoresFindingsAndCompletes() throws Exception {
        Scan scan = committedScan(brand(), LISTINGS);
        await(aiQueue.send(message(scan)));

        Scan done = awaitState(scan.id(), ScanState.COMPLETE);
        assertEquals(LISTINGS.size(), done.counts().scored());
        assertEquals(INFRINGING.size(), done.counts().findings());

        Map<String, Finding> byUrl = findings(scan.id());
        assertEquals(LISTINGS.size(), byUrl.size(), "every scored listing is stored, clean ones too");
        for (JsonObject listing : LISTINGS) {
            String url = listing.getString("url");
            Finding f = byUrl.get(url);
            assertNotNull(f, url);
            assertEquals(ScanIds.finding(CLIENT, scan.id(), url), f.id(), "deterministic id");
            boolean infringing = INFRINGING.contains(url);
            String why = url + " '" + listing.getString("title") + "' scored " + f.score() + " " + f.breakdown().encode();
            if (infringing) {
                assertTrue(f.score() >= 0.5, why);
            } else {
                assertTrue(f.score() < 0.5, why);
            }
            assertEquals(infringing, f.breakdown().getBoolean("infringing"), why);
            assertEquals(ReviewStatus.OPEN, f.reviewStatus());
            // The breakdown has its image and text parts; the snapshot keeps the listing, not its vector.
            JsonObject image = f.breakdown().getJsonObject("image");
            JsonObject text = f.breakdown().getJsonObject("text");
            assertNotNull(image, why);
            assertNotNull(text, why);
            assertTrue(text.containsKey("score") && text.containsKey("rule"), why);
            assertEquals(listing.getString("title"), f.title());
            assertEquals(listing.getString("image_url"), f.imageUrl());
            assertFalse(f.listing().containsKey("embedding"));
            if (listing.containsKey("embedding")) {
                assertNotNull(image.getJsonObject("match"), why);
                assertTrue(Set.of("astronaut.png", "/rocket.jpg").stream()
                        .anyMatch(r -> image.getJsonObject("match").getString("reference").endsWith(r)), why);
            } else {
                assertNull(image.getValue("match"), why);
                assertEquals(0.0, image.getDouble("score"), why);
                assertTrue(image.getString("note").contains("no usable image"), why);
            }
        }
        // An image-only copy (neutral title) is found by its image; a text-only listing by its title.
        assertTrue(byUrl.get(url(4)).breakdown().getJsonObject("image").getDouble("score") >= 0.5);
        assertTrue(byUrl.get(url(11)).breakdown().getJsonObject("text").getDouble("score") >= 0.6);

        JsonObject event = awaitEvent(scan.id(), "complete");
        assertEquals(INFRINGING.size(), event.getJsonObject("counts").getLong("findings"));
        assertTrue(event.getString("detail").contains("2 reference image(s)"), event.encode());
        assertTrue(event.getString("detail").contains("no-such-reference.png"), event.encode());
        assertEquals(0, canaryHits.get(), "a reference url off the allowlist is never fetched");
    }

    @Test
    void aBrandsReferencesAreEmbeddedOnceAndReusedByLaterScans() throws Exception {
        Scan first = committedScan(brand(), LISTINGS.subList(0, 3));
        await(aiQueue.send(message(first)));
        awaitState(first.id(), ScanState.COMPLETE);
        List<JsonObject> cached = await(raw.find("reference_images", new JsonObject().put("client_id", CLIENT)
                .put("brand_id", first.brandId())));
        assertEquals(2, cached.size(), "one stored signature per usable reference: " + cached.size());
        for (JsonObject doc : cached) {
            assertEquals(1280, doc.getJsonArray("embedding").size());
            assertFalse(doc.getJsonArray("view_embeddings").isEmpty());
            assertNotNull(doc.getString("fingerprint"));
        }
        double before = embedded();
        Scan second = committedScan(brand(), LISTINGS.subList(0, 3));
        await(aiQueue.send(message(second)));
        Scan done = awaitState(second.id(), ScanState.COMPLETE);
        assertEquals(before, embedded(), "the second scan embedded no reference again");
        assertEquals(3, done.counts().scored());
    }

    /** Images the embedding verticle has embedded so far (its counter; cumulative in this JVM). */
    private static double embedded() {
        var counter = io.brandscan.ops.Meters.registry().find("brandscan.embedding.images").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void redeliveryKeepsTheSameFindingsCountsAndReviews() throws Exception {
        Scan scan = committedScan(brand(), LISTINGS);
        await(aiQueue.send(message(scan)));
        awaitState(scan.id(), ScanState.COMPLETE);
        String reviewed = ScanIds.finding(CLIENT, scan.id(), url(1));
        await(raw.updateCollection("findings", new JsonObject().put("_id", reviewed).put("client_id", CLIENT),
                new JsonObject().put("$set", new JsonObject().put("review_status", ReviewStatus.CONFIRMED.wireName()))));

        // 1. The same message again on a complete scan: acknowledged without work.
        long handled = verticle.handled();
        await(aiQueue.send(message(scan)));
        awaitTrue(() -> verticle.handled() > handled, "the redelivered message is handled");
        assertRedeliveryChangedNothing(scan, reviewed);

        // 2. A worker that stored every finding but died before completing: the scan is still
        //    scoring with its counts already topped up; the redelivered run rewrites the same findings.
        await(raw.updateCollection("scans", new JsonObject().put("_id", scan.id()).put("client_id", CLIENT),
                new JsonObject().put("$set", new JsonObject().put("state", ScanState.SCORING.wireName()))));
        await(aiQueue.send(message(scan)));
        awaitState(scan.id(), ScanState.COMPLETE);
        assertRedeliveryChangedNothing(scan, reviewed);
    }

    private static void assertRedeliveryChangedNothing(Scan scan, String reviewed) throws Exception {
        Scan now = await(store.scans().get(CLIENT, scan.id())).orElseThrow();
        assertEquals(ScanState.COMPLETE, now.state());
        assertEquals(LISTINGS.size(), now.counts().scored(), "scored is not doubled");
        assertEquals(INFRINGING.size(), now.counts().findings(), "findings count is not doubled");
        assertEquals(LISTINGS.size(), await(raw.count("findings", new JsonObject().put("scan_id", scan.id()))),
                "no duplicate finding documents");
        Finding confirmed = await(store.findings().get(CLIENT, reviewed)).orElseThrow();
        assertEquals(ReviewStatus.CONFIRMED, confirmed.reviewStatus(), "a reviewed finding is not reopened");
        assertTrue(confirmed.score() >= 0.5);
    }

    @Test
    void aScanWithoutABrandSnapshotFailsWithTheReason() throws Exception {
        Scan scan = committedScan(null, LISTINGS.subList(0, 2));
        await(aiQueue.send(message(scan)));
        Scan failed = awaitState(scan.id(), ScanState.FAILED);
        assertTrue(failed.error().contains("brand snapshot"), failed.error());
        assertEquals(0L, await(raw.count("findings", new JsonObject().put("scan_id", scan.id()))));
    }

    @Test
    void aBrandWithBadThresholdsFailsTheScanWithTheField() throws Exception {
        JsonObject brand = brand().put("thresholds", new JsonObject().put("infringment", 0.4));
        Scan scan = committedScan(brand, LISTINGS.subList(0, 2));
        await(aiQueue.send(message(scan)));
        Scan failed = awaitState(scan.id(), ScanState.FAILED);
        assertTrue(failed.error().contains("infringment"), failed.error());
    }

    @Test
    void aMessageForAnotherBatchIsDroppedWithoutWork() throws Exception {
        Scan scan = committedScan(brand(), LISTINGS.subList(0, 2));
        long handled = verticle.handled();
        await(aiQueue.send(new AiMessage(CLIENT, scan.id(), new BatchKey(CLIENT, scan.id(), 2)).toBody()));
        awaitTrue(() -> verticle.handled() > handled, "the stale message is handled");
        assertEquals(ScanState.SCORING, await(store.scans().get(CLIENT, scan.id())).orElseThrow().state());
        assertEquals(0L, await(raw.count("findings", new JsonObject().put("scan_id", scan.id()))));
    }

    @Test
    void aScanThatNeverReachesScoringIsFailedOnTheLastAttemptAndTheMessageDeadLettered() throws Exception {
        String scanId = ScanIds.newScanId();
        await(store.scans().create(CLIENT, scanId, "orbitex"));
        assertTrue(await(store.scans().beginGather(CLIENT, scanId, 3)).isPresent());
        String body = new AiMessage(CLIENT, scanId, new BatchKey(CLIENT, scanId, 1)).toBody();
        await(aiQueue.send(body));
        await(aiQueue.send("{not json"));
        Scan failed = awaitState(scanId, ScanState.FAILED);
        assertTrue(failed.error().contains("not scoring"), failed.error());
        SqsQueue dlq = await(broker.openDeadLetter("ai"));
        List<String> dead = new ArrayList<>();
        awaitTrue(() -> {
            try {
                await(dlq.receive(10, java.time.Duration.ZERO, java.time.Duration.ofSeconds(30)))
                        .forEach(m -> dead.add(m.body()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return dead.contains(body) && dead.contains("{not json");
        }, "both messages in the dead-letter queue");
    }

    @Test
    void withoutAnEmbeddingWorkerTheScanIsRetriedNotScoredWithoutItsReferences() throws Exception {
        // A second process: its own Vert.x and queue, an AI verticle but (at first) no embedding verticle.
        Vertx second = Vertx.vertx();
        try {
            JsonObject sqs = services.adapterConfig().getJsonObject("sqs").copy()
                    .put("create_queues", true).put("wait_time_s", 1).put("max_receive_count", 10)
                    .put("retry_backoff_s", 1).put("queues", new JsonObject().put("ai", "ai-phase-no-embedder"));
            JsonObject mongo = services.adapterConfig().getJsonObject("mongo").copy().put("db_name", "ai_test")
                    .put("pool_name", "ai-test-second");
            AiVerticle lonely = new AiVerticle();
            await(second.deployVerticle(lonely, new DeploymentOptions().setConfig(new JsonObject()
                    .put("ai", new JsonObject().put("embed_timeout_ms", 2000)).put("sqs", sqs).put("mongo", mongo))));
            SqsQueue queue = await(broker.open("ai-phase-no-embedder"));
            JsonObject brand = brand().put("reference_images", new JsonArray()
                    .add(IMAGES.resolve("astronaut.png").toString()));
            Scan scan = committedScan(brand, LISTINGS.subList(0, 3));
            await(queue.send(message(scan)));

            Thread.sleep(2500);
            assertEquals(ScanState.SCORING, await(store.scans().get(CLIENT, scan.id())).orElseThrow().state(),
                    "a reference that could not be embedded yet must not complete the scan without it");
            assertEquals(0L, await(raw.count("findings", new JsonObject().put("scan_id", scan.id()))));

            // The embedding worker comes up: the redelivered message scores with the reference.
            await(second.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));
            awaitState(scan.id(), ScanState.COMPLETE);
            Finding copy = findings(scan.id()).get(url(1));
            assertTrue(copy.breakdown().getJsonObject("image").getDouble("score") >= 0.5, copy.breakdown().encode());
        } finally {
            await(second.close());
        }
    }

    private static Map<String, Finding> findings(String scanId) throws Exception {
        List<Finding> all = await(store.findings().find(CLIENT, scanId, FindingQuery.all(Page.first(500))));
        return all.stream().collect(Collectors.toMap(Finding::url, f -> f));
    }

    private static Scan awaitState(String scanId, ScanState state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Scan scan = null;
        while (System.nanoTime() < deadline) {
            scan = await(store.scans().get(CLIENT, scanId)).orElseThrow();
            if (scan.state() == state) {
                return scan;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("scan " + scanId + " did not reach " + state + ", it is " + scan.state()
                + " error=" + scan.error());
    }

    private static JsonObject awaitEvent(String scanId, String state) throws Exception {
        awaitTrue(() -> published.stream().anyMatch(e -> scanId.equals(e.getString("scan_id"))
                && state.equals(e.getString("state"))), "an event for " + scanId + " in " + state);
        return published.stream().filter(e -> scanId.equals(e.getString("scan_id")) && state.equals(e.getString("state")))
                .findFirst().orElseThrow();
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
