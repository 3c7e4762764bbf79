package io.brandscan.pipeline.gather;

import io.brandscan.launcher.RegistryGroup;
import io.brandscan.bus.Addresses;
import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.queue.QueueMessage;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanStore;
import io.brandscan.store.StoreSettings;
import io.brandscan.time.SettableClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gather verticle against real parts, shared by the class: ElasticMQ and mongo-java-server
 * (DevServices), a real registry, and json feeds served from 127.0.0.1 on port 0. Each test makes
 * its own scan; url jobs are read back from the real queue and matched by scan id.
 */
class GatherVerticleTest {
    private static final String CLIENT = "acme";
    private static final int UNIQUE = 230;

    private static DevServices services;
    private static Vertx vertx;
    private static HttpServer feeds;
    private static HttpServer canary;
    private static final AtomicInteger canaryHits = new AtomicInteger();
    private static final Map<String, AtomicInteger> feedHits = new ConcurrentHashMap<>();
    private static int registryPort;
    private static RegistryClient registry;
    private static ScanStore store;
    private static SqsBroker broker;
    private static SqsQueue gatherQueue;
    private static SqsQueue urlQueue;
    private static GatherVerticle verticle;
    private static final List<JsonObject> published = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        services = DevServices.start(new DevServicesSettings(true, 0, false, 0, null, "k", "s", true, 0, null));
        vertx = Vertx.vertx();
        feeds = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(req -> {
                    feedHits.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
                    switch (req.path()) {
                        case "/feed" -> req.response().putHeader("content-type", "application/json")
                                .end(feedWithDuplicates().encode());
                        case "/empty" -> req.response().putHeader("content-type", "application/json").end("[]");
                        default -> req.response().setStatusCode(404).end("no such feed");
                    }
                }).listen().await();
        canary = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(req -> {
                    canaryHits.incrementAndGet();
                    req.response().end("[]");
                }).listen().await();
        registryPort = startRegistry();
        // Short per-attempt timeout and few attempts: if the registry ever fails to answer, the test
        // reports the client's own error rather than hanging into the await's 60 s timeout.
        registry = new RegistryClient(vertx, RegistryClient.Settings.fromJson(new JsonObject().put("port", registryPort)
                .put("timeout_ms", 5_000).put("max_attempts", 3)));

        JsonObject sqs = services.adapterConfig().getJsonObject("sqs").copy()
                .put("create_queues", true).put("wait_time_s", 1).put("max_receive_count", 3)
                .put("retry_backoff_s", 1)
                .put("queues", new JsonObject().put("gather", "gather-test").put("acquire", "url-process-test"));
        JsonObject mongo = services.adapterConfig().getJsonObject("mongo").copy().put("db_name", "gather_test");
        store = await(ScanStore.over(MongoConnection.client(vertx, mongo.copy().put("pool_name", "gather-test-reader")),
                StoreSettings.DEFAULTS, SettableClock.startingAt("2026-11-22T10:00:00Z")));
        broker = SqsBroker.create(vertx, sqs);
        gatherQueue = await(broker.open("gather"));
        urlQueue = await(broker.open("acquire"));

        JsonObject conf = new JsonObject()
                .put("gather", new JsonObject()
                        .put("allow", new JsonArray().add("127.0.0.1:" + feeds.actualPort()))
                        .put("registry_client", new JsonObject().put("port", registryPort).put("max_attempts", 2)))
                .put("sqs", sqs)
                .put("mongo", mongo.copy().put("pool_name", "gather-test-verticle"));
        vertx.eventBus().<JsonObject>consumer(Addresses.SCAN_PROGRESS, m -> published.add(m.body()));
        verticle = new GatherVerticle(SettableClock.startingAt("2026-11-22T10:00:00Z"));
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

    @Test
    void aFeedWithDuplicatesBecomesOneBatchOfUniqueUrlJobs() throws Exception {
        Scan scan = newScan(feedUrl("/feed"));
        await(gatherQueue.send(new GatherMessage(CLIENT, scan.id()).toBody()));

        Scan acquiring = awaitState(scan.id(), ScanState.ACQUIRING);
        assertEquals(UNIQUE, acquiring.counts().gathered());
        assertEquals(1, acquiring.gatherAttempts());
        BatchKey batch = acquiring.batchKey().orElseThrow();

        JsonObject status = await(registry.status(batch.toString()));
        assertEquals(UNIQUE, status.getInteger("expected"), "the registry batch expects the unique count");

        List<JsonObject> jobs = drainJobs(scan.id(), UNIQUE);
        assertEquals(UNIQUE, jobs.size());
        Set<String> urls = new HashSet<>();
        for (JsonObject job : jobs) {
            assertEquals(Set.of("client_id", "scan_id", "batch", "listing"), job.fieldNames());
            assertEquals(CLIENT, job.getString("client_id"));
            assertEquals(batch.toString(), job.getString("batch"));
            JsonObject listing = job.getJsonObject("listing");
            assertEquals(Set.of("url", "title", "price", "currency", "seller", "image_url"), listing.fieldNames());
            assertNotNull(listing.getString("title"));
            assertTrue(listing.getString("image_url").startsWith("https://img.example.com/"));
            urls.add(listing.getString("url"));
        }
        assertEquals(UNIQUE, urls.size(), "every url job is a distinct url");
        assertTrue(urls.contains("https://shop.example.com/item/3"), "a duplicate spelled differently is canonicalised");
        JsonObject first = jobs.stream().filter(j -> j.getJsonObject("listing").getString("url")
                .equals("https://shop.example.com/item/7")).findFirst().orElseThrow().getJsonObject("listing");
        assertEquals("Item 7", first.getString("title"), "the first listing for a url wins");
        assertEquals(17.5, first.getDouble("price"));

        List<ScanEvent> events = await(store.scans().eventsAfter(CLIENT, scan.id(), 0, 100));
        ScanEvent last = events.get(events.size() - 1);
        assertEquals(ScanState.ACQUIRING, last.state());
        assertEquals(UNIQUE, last.counts().gathered());
        assertTrue(published.stream().anyMatch(e -> scan.id().equals(e.getString("scan_id"))
                && "acquiring".equals(e.getString("state"))), "the event was published on the bus too");
    }

    @Test
    void aRedeliveredGatherMessageMakesNoSecondBatchAndNoNewJobs() throws Exception {
        Scan scan = newScan(feedUrl("/feed"));
        String body = new GatherMessage(CLIENT, scan.id()).toBody();
        await(gatherQueue.send(body));
        Scan acquiring = awaitState(scan.id(), ScanState.ACQUIRING);
        assertEquals(UNIQUE, drainJobs(scan.id(), UNIQUE).size());
        long handled = verticle.consumer().handled();

        await(gatherQueue.send(body));
        awaitHandled(handled + 1);

        Scan after = await(store.scans().get(CLIENT, scan.id())).orElseThrow();
        assertEquals(ScanState.ACQUIRING, after.state());
        assertEquals(1, after.gatherAttempts(), "no second attempt, so no second batch key");
        assertEquals(UNIQUE, after.counts().gathered(), "not counted twice");
        assertEquals(acquiring.batchKey(), after.batchKey());
        assertEquals(0, drainJobs(scan.id(), 0).size(), "no url job was sent again");
        BatchKey second = new BatchKey(CLIENT, scan.id(), 2);
        ExecutionException missing = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(registry.status(second.toString())));
        assertTrue(String.valueOf(missing.getCause()).contains("404"), String.valueOf(missing.getCause()));
    }

    @Test
    void twoDeliveriesAtOnceShareOneAttemptAndOneBatch() throws Exception {
        Scan scan = newScan(feedUrl("/feed"));
        // Run two gathers of the same message truly side by side (two workers, say): through the
        // queue the second delivery usually arrives after the first finished, which proves less.
        io.brandscan.gather.ListingProviders providers = io.brandscan.gather.ListingProviders.fromConfig(vertx,
                new JsonObject(), new PolicyFeedUrlGuard(io.brandscan.acquire.UrlPolicy.fromEntries(
                        List.of("127.0.0.1:" + feeds.actualPort())), new io.brandscan.acquire.SystemHostResolver(vertx)),
                io.brandscan.gather.ProviderRateLimiter.UNLIMITED, java.time.Clock.systemUTC());
        ScanGatherer gatherer = new ScanGatherer(store.scans(), providers, registry, urlQueue,
                new ScanProgress(vertx, store.scans(), java.time.Clock.systemUTC()), java.time.Clock.systemUTC(), 3);
        GatherMessage message = new GatherMessage(CLIENT, scan.id());
        await(Future.all(gatherer.gather(message), gatherer.gather(message)));
        await(providers.close());

        Scan acquiring = awaitState(scan.id(), ScanState.ACQUIRING);
        assertEquals(1, acquiring.gatherAttempts(), "the second delivery joined attempt 1 instead of starting attempt 2");
        assertEquals(UNIQUE, acquiring.counts().gathered());
        List<JsonObject> jobs = drainJobs(scan.id(), UNIQUE);
        Set<String> urls = new HashSet<>();
        Set<String> batches = new HashSet<>();
        jobs.forEach(j -> {
            urls.add(j.getJsonObject("listing").getString("url"));
            batches.add(j.getString("batch"));
        });
        assertEquals(Set.of(CLIENT + "/" + scan.id() + "/1"), batches);
        assertEquals(UNIQUE, urls.size(), "at most a second copy of each job, never another url");
        assertEquals(2 * UNIQUE, jobs.size(), "both ran the whole attempt: a second copy of each job");
        assertEquals(UNIQUE, await(registry.status(CLIENT + "/" + scan.id() + "/1")).getInteger("expected"));
    }

    @Test
    void aGatherThatDiedMidwayIsResumedUnderTheSameBatchKey() throws Exception {
        Scan scan = newScan(feedUrl("/feed"));
        // An earlier delivery began attempt 1, started the batch and sent some jobs, then died.
        Scan gathering = await(store.scans().beginGather(CLIENT, scan.id(), 3)).orElseThrow();
        BatchKey batch = gathering.batchKey().orElseThrow();
        await(registry.start(batch.toString(), UNIQUE));
        UniqueListings unique = UniqueListings.of(parseFeed(feedWithDuplicates()));
        await(urlQueue.sendBatch(UrlJobs.bodies(batch, unique.listings().subList(0, 15))));

        await(gatherQueue.send(new GatherMessage(CLIENT, scan.id()).toBody()));
        Scan acquiring = awaitState(scan.id(), ScanState.ACQUIRING);
        assertEquals(1, acquiring.gatherAttempts());
        assertEquals(UNIQUE, acquiring.counts().gathered());

        List<JsonObject> jobs = drainJobs(scan.id(), UNIQUE + 15);
        assertEquals(UNIQUE + 15, jobs.size(), "the resent jobs are extra messages...");
        Set<String> urls = new HashSet<>();
        jobs.forEach(j -> {
            assertEquals(batch.toString(), j.getString("batch"));
            urls.add(j.getJsonObject("listing").getString("url"));
        });
        assertEquals(UNIQUE, urls.size(), "...but not extra distinct urls, which is what the registry counts");
        assertEquals(UNIQUE, await(registry.status(batch.toString())).getInteger("expected"));
    }

    @Test
    void anEmptyFeedCompletesTheScanWithNoBatch() throws Exception {
        Scan scan = newScan(feedUrl("/empty"));
        await(gatherQueue.send(new GatherMessage(CLIENT, scan.id()).toBody()));
        Scan complete = awaitState(scan.id(), ScanState.COMPLETE);
        assertEquals(0, complete.counts().gathered());
        ExecutionException missing = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(registry.status(complete.batchKey().orElseThrow().toString())));
        assertTrue(String.valueOf(missing.getCause()).contains("404"), "no registry batch was started");
        assertEquals(0, drainJobs(scan.id(), 0).size());
    }

    @Test
    void aFeedAnswering404FailsTheScanWithTheReason() throws Exception {
        Scan scan = newScan(feedUrl("/gone"));
        await(gatherQueue.send(new GatherMessage(CLIENT, scan.id()).toBody()));
        Scan failed = awaitState(scan.id(), ScanState.FAILED);
        assertTrue(failed.error().contains("404"), failed.error());
        assertTrue(failed.error().contains("/gone"), failed.error());
        assertEquals(1, feedHits.get("/gone").get(), "a permanent error is not retried");
        // The failure event is stored just after the state flips: wait for it, boundedly.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ScanEvent> events = await(store.scans().eventsAfter(CLIENT, scan.id(), 0, 100));
        while (events.stream().noneMatch(e -> e.type() == ScanEvent.Type.FAILURE) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            events = await(store.scans().eventsAfter(CLIENT, scan.id(), 0, 100));
        }
        assertEquals(ScanEvent.Type.FAILURE, events.get(events.size() - 1).type());
    }

    @Test
    void aFeedOnAnAddressNotInTheAllowListIsNeverFetched() throws Exception {
        Scan scan = newScan("http://127.0.0.1:" + canary.actualPort() + "/feed");
        await(gatherQueue.send(new GatherMessage(CLIENT, scan.id()).toBody()));
        Scan failed = awaitState(scan.id(), ScanState.FAILED);
        assertTrue(failed.error().contains("loopback"), failed.error());
        assertEquals(0, canaryHits.get(), "the refused feed server saw no request");
    }

    @Test
    void aBrandWithoutAProviderFailsTheScanAndAnUnknownScanIsDropped() throws Exception {
        Scan scan = await(store.scans().create(CLIENT, "brand-1", new JsonObject().put("name", "Acme")));
        await(gatherQueue.send(new GatherMessage(CLIENT, scan.id()).toBody()));
        Scan failed = awaitState(scan.id(), ScanState.FAILED);
        assertTrue(failed.error().contains("brand.provider"), failed.error());

        long handled = verticle.consumer().handled();
        await(gatherQueue.send(new GatherMessage(CLIENT, "scan-does-not-exist").toBody()));
        awaitHandled(handled + 1);
    }

    @Test
    void anUnreachableRegistryIsRetriedThenTheReasonIsOnTheScanAndTheMessageInTheDeadLetterQueue() throws Exception {
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        JsonObject sqs = services.adapterConfig().getJsonObject("sqs").copy()
                .put("create_queues", true).put("wait_time_s", 1).put("max_receive_count", 2)
                .put("retry_backoff_s", 0).put("retry_backoff_max_s", 0)
                .put("queues", new JsonObject().put("gather", "gather-dead-registry").put("acquire", "url-dead-registry"));
        JsonObject conf = new JsonObject()
                .put("gather", new JsonObject()
                        .put("allow", new JsonArray().add("127.0.0.1:" + feeds.actualPort()))
                        .put("registry_client", new JsonObject().put("port", deadPort).put("max_attempts", 1))
                        // This deployment also runs the MongoDB-backed shared limiter, so its wiring is exercised.
                        .put("rate_limiter", "shared"))
                .put("sqs", sqs)
                .put("mongo", services.adapterConfig().getJsonObject("mongo").copy().put("db_name", "gather_test")
                        .put("pool_name", "gather-test-dead-registry"));
        String id = await(vertx.deployVerticle(new GatherVerticle(SettableClock.startingAt("2026-11-22T10:00:00Z")),
                new DeploymentOptions().setConfig(conf)));
        try (SqsBroker own = SqsBroker.create(vertx, sqs)) {
            Scan scan = newScan(feedUrl("/feed"));
            String body = new GatherMessage(CLIENT, scan.id()).toBody();
            await(await(own.open("gather")).send(body));

            Scan failed = awaitState(scan.id(), ScanState.FAILED);
            assertTrue(failed.error().startsWith("gather gave up after 2 deliveries"), failed.error());
            assertTrue(failed.error().contains("registry unavailable"), failed.error());
            assertTrue(await(await(own.open("acquire")).receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30))).isEmpty(),
                    "no job is sent before the registry batch exists");

            SqsQueue dlq = await(own.openDeadLetter("gather"));
            List<QueueMessage> dead = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (dead.isEmpty() && System.nanoTime() < deadline) {
                dead = await(dlq.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30)));
            }
            assertEquals(1, dead.size(), "the message went to the dead-letter queue");
            assertEquals(body, dead.get(0).body());
            io.vertx.ext.mongo.MongoClient buckets = MongoConnection.client(vertx, services.adapterConfig()
                    .getJsonObject("mongo").copy().put("db_name", "gather_test").put("pool_name", "gather-test-buckets"));
            try {
                assertEquals(1L, await(buckets.count("rate_buckets", new JsonObject().put("_id", "client:" + CLIENT))),
                        "the feed requests drew from the client's shared bucket in MongoDB");
            } finally {
                await(buckets.close());
            }
        } finally {
            await(vertx.undeploy(id));
        }
    }

    // --- fixtures -------------------------------------------------------------------------------

    /** 250 listings, 230 distinct urls: 10 exact repeats and 10 spelled differently. */
    static JsonArray feedWithDuplicates() {
        JsonArray feed = new JsonArray();
        for (int i = 0; i < UNIQUE; i++) {
            feed.add(new JsonObject().put("url", "https://shop.example.com/item/" + i).put("title", "Item " + i)
                    .put("price", 10.5 + i).put("currency", "usd").put("seller", "seller-" + (i % 9))
                    .put("image_url", "https://img.example.com/" + i + ".jpg"));
        }
        for (int i = 0; i < 10; i++) {
            feed.add(new JsonObject().put("url", "https://shop.example.com/item/" + (7 + i * 3)).put("title", "Repeat " + i)
                    .put("price", 1).put("image_url", "https://img.example.com/repeat-" + i + ".jpg"));
        }
        for (int i = 0; i < 10; i++) {
            feed.add(new JsonObject().put("url", "HTTPS://Shop.Example.com:443/item/" + (3 + i * 5) + "#reviews")
                    .put("title", "Spelled " + i).put("image_url", "https://img.example.com/s-" + i + ".jpg"));
        }
        return feed;
    }

    private static List<io.brandscan.gather.Listing> parseFeed(JsonArray feed) {
        List<io.brandscan.gather.Listing> listings = new ArrayList<>();
        for (Object entry : feed) {
            listings.add(io.brandscan.gather.ListingJson.fromJson(entry).listing());
        }
        return listings;
    }

    private static String feedUrl(String path) {
        return "http://127.0.0.1:" + feeds.actualPort() + path;
    }

    private static Scan newScan(String feed) throws Exception {
        JsonObject brand = new JsonObject().put("name", "Acme").put("names", new JsonArray().add("Acme"))
                .put("provider", new JsonObject().put("type", "json-feed").put("url", feed));
        return await(store.scans().create(CLIENT, "brand-1", brand));
    }

    private static Scan awaitState(String scanId, ScanState state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Scan scan = null;
        while (System.nanoTime() < deadline) {
            scan = await(store.scans().get(CLIENT, scanId)).orElseThrow();
            if (scan.state() == state) {
                return scan;
            }
            if (scan.state().isTerminal()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("scan " + scanId + " did not reach " + state + ": " + scan);
    }

    private static void awaitHandled(long count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (verticle.consumer().handled() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gather message was not handled");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Reads url jobs until {@code expected} of this scan's arrived and one more receive came back
     * empty (so extras would be seen), deleting every message read.
     */
    private static List<JsonObject> drainJobs(String scanId, int expected) throws Exception {
        List<JsonObject> jobs = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean sawEmpty = false;
        while (System.nanoTime() < deadline && (jobs.size() < expected || !sawEmpty)) {
            List<QueueMessage> batch = await(urlQueue.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30)));
            sawEmpty = batch.isEmpty();
            for (QueueMessage m : batch) {
                JsonObject body = new JsonObject(m.body());
                if (scanId.equals(body.getString("scan_id"))) {
                    jobs.add(body);
                }
                await(urlQueue.delete(m.receiptHandle()));
            }
        }
        assertFalse(jobs.size() < expected, "only " + jobs.size() + " of " + expected + " jobs arrived");
        return jobs;
    }

    private static int startRegistry() {
        return RegistryGroup.start(vertx, new JsonObject().put("port", 0).put("host", "127.0.0.1"), 1).await();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
