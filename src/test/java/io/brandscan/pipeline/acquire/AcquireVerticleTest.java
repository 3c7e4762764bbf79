package io.brandscan.pipeline.acquire;

import io.brandscan.bus.Addresses;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.queue.QueueMessage;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanFailure;
import io.brandscan.scan.ScanState;
import io.brandscan.storage.ObjectStore;
import io.brandscan.store.ScanStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acquire phase end to end on real parts: ElasticMQ, s3proxy and mongo-java-server on port 0,
 * a real registry with a short commit lease, a loopback image server (the only address the
 * downloader is allowed to reach), and the real embedding model. Each test has its own queues and
 * scan, so the tests share the servers without seeing each other's messages.
 */
class AcquireVerticleTest {
    private static final String[] IMAGES = {"astronaut.png", "brick.png", "camera.png", "chelsea.png", "coffee.png",
            "coins.png", "grass.png", "gravel.png", "hubble_deep_field.jpg", "moon.png", "rocket.jpg"};
    private static final long LEASE_MS = 2_500;

    private static AcquireStack stack;
    private static Vertx vertx;
    private static ImageServer images;
    private static RegistryClient registry;
    private static ScanStore store;
    private static MongoClient mongo;
    private static ObjectStore objects;

    @BeforeAll
    static void startEverything() throws Exception {
        stack = AcquireStack.start(LEASE_MS, "acquire_test");
        vertx = stack.vertx;
        images = stack.images;
        registry = stack.registry;
        store = stack.store;
        mongo = stack.mongo;
        objects = await(ObjectStore.open(vertx, stack.s3Conf("acquire-test")));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twentyListingsAreAcquiredAndCommittedOnceEvenWithADuplicateDelivery() throws Exception {
        Scenario s = new Scenario("one");
        List<JsonObject> listings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            listings.add(listing(i, images.url("/img/" + IMAGES[i % IMAGES.length])));
        }
        BatchKey batch = s.startScan("scan-twenty", listings);
        List<JsonObject> published = new CopyOnWriteArrayList<>();
        var events = vertx.eventBus().<JsonObject>consumer(Addresses.SCAN_PROGRESS, m -> {
            if (batch.scanId().equals(m.body().getString("scan_id"))) {
                published.add(m.body());
            }
        });
        await(events.completion());
        // The same url job delivered twice (gather retried a send): it must count once.
        s.jobs.send(job(batch, listings.get(3)).encode()).toCompletionStage().toCompletableFuture().get();
        AcquireVerticle worker = new AcquireVerticle();
        String id = await(vertx.deployVerticle(worker, new DeploymentOptions().setConfig(s.conf())));
        try {
            Scan scan = awaitState(batch, ScanState.SCORING);
            assertEquals(20, scan.counts().acquired(), "a duplicate delivery must not count twice");
            assertEquals(0, scan.counts().failed());
            assertEquals(20, scan.counts().committed());
            assertEquals(batch.toString(), scan.committedBatch());
            assertEquals(1, worker.commits(), "exactly one commit");

            List<JsonObject> committed = await(store.listings().committedListings(batch.clientId(), batch.scanId(), null, 100));
            assertEquals(20, committed.size());
            Set<String> urls = new HashSet<>();
            for (JsonObject doc : committed) {
                urls.add(doc.getString("url"));
                assertEquals(1280, io.brandscan.store.StoredEmbedding.read(doc.getValue("embedding")).length, "embedding of " + doc.getString("url"));
                assertTrue(doc.getString("s3_path").startsWith("s3://"), doc.getString("s3_path"));
                assertEquals(16, doc.getString("phash").length());
                ImageFingerprint.fromHex(doc.getString("fingerprint"));
                assertTrue(doc.getInteger("width") > 0 && doc.getInteger("height") > 0);
                assertTrue(Set.of("png", "jpeg").contains(doc.getString("format")), doc.getString("format"));
                assertTrue(doc.getString("title").startsWith("Listing "));
            }
            assertEquals(20, urls.size());
            // Raw documents of the scan, visible or not: a duplicate write would show here.
            assertEquals(20L, await(mongo.count("listings", new JsonObject().put("scan_id", batch.scanId()))));
            // The image bytes are in S3 under the key the listing names.
            String s3Path = committed.get(0).getString("s3_path");
            String key = s3Path.substring(s3Path.indexOf('/', "s3://".length()) + 1);
            assertTrue(await(objects.exists(key)), "stored object " + s3Path);

            assertEquals(List.of(new JsonObject().put("client_id", batch.clientId()).put("scan_id", batch.scanId())
                    .put("batch", batch.toString())), s.drainAi(), "the AI phase is enqueued exactly once");
            assertBatchGone(batch);
            List<JsonObject> stored = new ArrayList<>();
            await(store.scans().eventsAfter(batch.clientId(), batch.scanId(), 0, 100))
                    .forEach(e -> stored.add(new JsonObject().put("state", e.state().wireName())));
            assertTrue(stored.contains(new JsonObject().put("state", "scoring")), "progress events persisted: " + stored);
            assertTrue(published.stream().anyMatch(e -> e.getString("state").equals("scoring")
                    && e.getJsonObject("counts").getLong("committed") == 20L), "published: " + published);
            assertTrue(published.stream().anyMatch(e -> e.getString("type").equals("progress")), "published: " + published);
        } finally {
            await(events.unregister());
            await(vertx.undeploy(id));
        }
    }

    @Test
    void goneAndNonImageUrlsAreRecordedAsFailuresAndTheRestCommitted() throws Exception {
        Scenario s = new Scenario("two");
        List<JsonObject> listings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String image = switch (i) {
                case 4, 11 -> images.url("/gone/" + i + ".png");
                case 15 -> images.url("/page/" + i + ".png");
                default -> images.url("/img/" + IMAGES[i % IMAGES.length]);
            };
            listings.add(listing(i, image));
        }
        BatchKey batch = s.startScan("scan-failing", listings);
        AcquireVerticle worker = new AcquireVerticle();
        String id = await(vertx.deployVerticle(worker, new DeploymentOptions().setConfig(s.conf())));
        try {
            Scan scan = awaitState(batch, ScanState.SCORING);
            assertEquals(17, scan.counts().acquired());
            assertEquals(3, scan.counts().failed());
            assertEquals(17, scan.counts().committed());
            assertEquals(17L, await(store.listings().countCommitted(batch.clientId(), batch.scanId())));
            assertEquals(3, scan.failureTotal());
            List<String> failed = scan.failures().stream().map(ScanFailure::url).sorted().toList();
            assertEquals(List.of(listings.get(11).getString("url"), listings.get(15).getString("url"),
                    listings.get(4).getString("url")).stream().sorted().toList(), failed);
            for (ScanFailure f : scan.failures()) {
                String expected = f.url().equals(listings.get(15).getString("url")) ? "NOT_AN_IMAGE" : "HTTP_STATUS";
                assertTrue(f.error().contains(expected), f.url() + " -> " + f.error());
            }
            assertEquals(1, s.drainAi().size());
            assertBatchGone(batch);
        } finally {
            await(vertx.undeploy(id));
        }
    }

    @Test
    void aCommitterThatDiesAfterShouldCommitIsTakenOverWithoutDuplicates() throws Exception {
        Scenario s = new Scenario("three");
        List<JsonObject> listings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            listings.add(listing(i, images.url("/img/" + IMAGES[i % IMAGES.length])));
        }
        BatchKey batch = s.startScan("scan-takeover", listings);
        // Worker A reaches the commit and dies there: its commit never writes a listing.
        CountDownLatch reachedCommit = new CountDownLatch(1);
        AtomicInteger commitAttemptsOfA = new AtomicInteger();
        Function<BatchKey, Future<Void>> dies = b -> {
            commitAttemptsOfA.incrementAndGet();
            reachedCommit.countDown();
            return Promise.<Void>promise().future();
        };
        AcquireVerticle workerA = new AcquireVerticle(Clock.systemUTC(), dies);
        String idA = await(vertx.deployVerticle(workerA, new DeploymentOptions().setConfig(s.conf(0))));
        assertTrue(reachedCommit.await(120, TimeUnit.SECONDS), "worker A was granted the commit");
        await(vertx.undeploy(idA));
        Scan stranded = await(store.scans().get(batch.clientId(), batch.scanId())).orElseThrow();
        assertEquals(ScanState.COMMITTING, stranded.state());
        assertEquals(0L, await(mongo.count("listings", new JsonObject().put("scan_id", batch.scanId()))));

        AcquireVerticle workerB = new AcquireVerticle();
        String idB = await(vertx.deployVerticle(workerB, new DeploymentOptions().setConfig(s.conf(200))));
        try {
            Scan scan = awaitState(batch, ScanState.SCORING);
            assertEquals(1, workerB.commits(), "worker B took the commit over once the lease expired");
            assertEquals(0, workerA.commits());
            assertEquals(1, commitAttemptsOfA.get());
            assertEquals(10, scan.counts().acquired());
            assertEquals(10L, await(store.listings().countCommitted(batch.clientId(), batch.scanId())));
            assertEquals(10L, await(mongo.count("listings", new JsonObject().put("scan_id", batch.scanId()))));
            assertEquals(1, s.drainAi().size());
            assertBatchGone(batch);
        } finally {
            await(vertx.undeploy(idB));
        }
    }

    @Test
    void aUrlThatKeepsFailingIsReportedOnItsLastAttemptSoTheBatchStillCommits() throws Exception {
        Scenario s = new Scenario("four");
        List<JsonObject> listings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            listings.add(listing(i, i == 2 ? images.url("/error/" + i + ".png") : images.url("/img/" + IMAGES[i])));
        }
        int errorsBefore = images.errors();
        BatchKey batch = s.startScan("scan-retrying", listings);
        String id = await(vertx.deployVerticle(new AcquireVerticle(), new DeploymentOptions().setConfig(s.conf())));
        try {
            Scan scan = awaitState(batch, ScanState.SCORING);
            assertEquals(4, scan.counts().acquired());
            assertEquals(1, scan.counts().failed());
            assertEquals(4L, await(store.listings().countCommitted(batch.clientId(), batch.scanId())));
            ScanFailure failure = scan.failures().get(0);
            assertEquals(listings.get(2).getString("url"), failure.url());
            assertTrue(failure.error().contains("gave up after 4 attempts") && failure.error().contains("500"), failure.error());
            assertEquals(4, images.errors() - errorsBefore, "one download per delivery, max_receive_count deliveries");
            assertEquals(1, s.drainAi().size());
        } finally {
            await(vertx.undeploy(id));
        }
    }

    @Test
    void jobsOfABatchTheRegistryLostAreDroppedAndPoisonGoesToTheDeadLetterQueue() throws Exception {
        Scenario s = new Scenario("five");
        String client = "client-five";
        await(store.scans().create(client, "scan-lost", "brand-five"));
        BatchKey batch = await(store.scans().beginGather(client, "scan-lost", 3)).orElseThrow().batchKey().orElseThrow();
        await(store.scans().transition(client, "scan-lost", Set.of(ScanState.GATHERING), ScanState.ACQUIRING)).orElseThrow();
        // No /start: as after a registry restart, the registry does not know the batch.
        await(s.jobs.sendBatch(List.of(job(batch, listing(0, images.url("/img/moon.png"))).encode(),
                job(batch, listing(1, images.url("/gone/1.png"))).encode(), "{\"not\": \"a url job\"}",
                job(batch, listing(2, images.url("/img/moon.png")).put("image_url", 42)).encode())));
        String id = await(vertx.deployVerticle(new AcquireVerticle(), new DeploymentOptions().setConfig(s.conf())));
        try {
            SqsQueue dead = await(s.broker.openDeadLetter("acquire"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<QueueMessage> poisoned = List.of();
            while (poisoned.isEmpty() && System.nanoTime() < deadline) {
                poisoned = await(dead.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30)));
            }
            while (poisoned.size() < 2 && System.nanoTime() < deadline) {
                poisoned = new ArrayList<>(poisoned);
                poisoned.addAll(await(dead.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30))));
            }
            assertEquals(2, poisoned.size());
            assertTrue(poisoned.stream().anyMatch(m -> m.body().equals("{\"not\": \"a url job\"}")));
            SqsQueue.QueueDepth depth = await(s.jobs.depth());
            assertEquals(0, depth.visible() + depth.inFlight(), "the lost batch's jobs were deleted");
            Scan scan = await(store.scans().get(client, "scan-lost")).orElseThrow();
            assertEquals(ScanState.ACQUIRING, scan.state());
            assertEquals(0, scan.counts().acquired());
            assertEquals(0, scan.counts().failed());
            // The poison that names its scan leaves its reason there; nothing else is recorded.
            assertEquals(1, scan.failureTotal());
            assertEquals("https://shop.example.com/item/2", scan.failures().get(0).url());
            assertTrue(scan.failures().get(0).error().contains("malformed url job"), scan.failures().get(0).error());
            assertBatchGone(batch);
            assertTrue(s.drainAi().isEmpty());
        } finally {
            await(vertx.undeploy(id));
        }
    }

    @Test
    void aWorkerStoppedMidBatchLeavesItsJobsToAnotherAndNothingIsCountedTwice() throws Exception {
        Scenario s = new Scenario("six");
        List<JsonObject> listings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            listings.add(listing(i, images.url("/img/" + IMAGES[(i * 5) % IMAGES.length])));
        }
        BatchKey batch = s.startScan("scan-handover", listings);
        AcquireVerticle workerA = new AcquireVerticle();
        String idA = await(vertx.deployVerticle(workerA, new DeploymentOptions().setConfig(s.conf(0, 2))));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (await(store.scans().get(batch.clientId(), batch.scanId())).orElseThrow().counts().acquired() < 4
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        await(vertx.undeploy(idA));
        long acquiredByA = await(store.scans().get(batch.clientId(), batch.scanId())).orElseThrow().counts().acquired();
        assertTrue(acquiredByA >= 4 && acquiredByA < 20, "A stopped mid-batch after " + acquiredByA);

        AcquireVerticle workerB = new AcquireVerticle();
        String idB = await(vertx.deployVerticle(workerB, new DeploymentOptions().setConfig(s.conf())));
        try {
            Scan scan = awaitState(batch, ScanState.SCORING);
            assertEquals(20, scan.counts().acquired());
            assertEquals(20, scan.counts().committed());
            assertEquals(1, workerA.commits() + workerB.commits());
            assertEquals(20L, await(mongo.count("listings", new JsonObject().put("scan_id", batch.scanId()))));
            assertEquals(1, s.drainAi().size());
            assertBatchGone(batch);
        } finally {
            await(vertx.undeploy(idB));
        }
    }

    @Test
    void aBatchCompletedBeforeGatherMovedTheScanOnIsStillCommittedByItsCompleter() throws Exception {
        Scenario s = new Scenario("seven");
        String client = "client-seven";
        await(store.scans().create(client, "scan-early", "brand-seven"));
        BatchKey batch = await(store.scans().beginGather(client, "scan-early", 3)).orElseThrow().batchKey().orElseThrow();
        // Gather's order: /start, enqueue, and only then gathering -> acquiring.
        List<JsonObject> listings = List.of(listing(0, images.url("/img/coins.png")), listing(1, images.url("/img/camera.png")));
        await(registry.start(batch.toString(), listings.size()));
        await(s.jobs.sendBatch(listings.stream().map(l -> job(batch, l).encode()).toList()));
        AcquireVerticle worker = new AcquireVerticle();
        // No sweeper: only the completing worker can commit, so it must have waited for gather.
        String id = await(vertx.deployVerticle(worker, new DeploymentOptions().setConfig(s.conf(0))));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline
                    && await(registry.status(batch.toString())).getInteger("completed") < listings.size()) {
                Thread.sleep(50);
            }
            Thread.sleep(300);
            assertEquals(ScanState.GATHERING, await(store.scans().get(client, "scan-early")).orElseThrow().state());
            await(store.scans().transition(client, "scan-early", Set.of(ScanState.GATHERING), ScanState.ACQUIRING)).orElseThrow();
            Scan scan = awaitState(batch, ScanState.SCORING);
            assertEquals(2, scan.counts().committed());
            assertEquals(1, worker.commits());
            assertEquals(1, s.drainAi().size());
        } finally {
            await(vertx.undeploy(id));
        }
    }

    /** One test's queues and the scan it drives, and its workers' conf. */
    private static final class Scenario {
        final AcquireStack.ScanQueues queues;
        final SqsBroker broker;
        final SqsQueue jobs;
        final String name;

        Scenario(String name) throws Exception {
            this.name = name;
            queues = stack.queues(name, stack.sqsConf("url-process-" + name, "brand-ai-phase-" + name, 20));
            broker = queues.broker;
            jobs = queues.jobs;
        }

        JsonObject conf() {
            return conf(300);
        }

        JsonObject conf(long sweepMs) {
            return conf(sweepMs, 8);
        }

        /** The worker's conf; {@code sweepMs} 0 turns its claim-commit sweeper off. */
        JsonObject conf(long sweepMs, int maxInFlight) {
            return stack.workerConf(queues.sqsConf, stack.s3Conf("acquire-test"), "acquire-" + name,
                    new JsonObject().put("max_in_flight", maxInFlight).put("sweep_interval_ms", sweepMs)
                            .put("stuck_after_ms", 500).put("progress_every", 5));
        }

        BatchKey startScan(String scanId, List<JsonObject> listings) throws Exception {
            return queues.startScan(scanId, listings);
        }

        List<JsonObject> drainAi() throws Exception {
            return queues.drainAi();
        }
    }

    private static JsonObject job(BatchKey batch, JsonObject listing) {
        return AcquireStack.job(batch, listing);
    }

    private static JsonObject listing(int i, String imageUrl) {
        return new JsonObject().put("url", "https://shop.example.com/item/" + i).put("title", "Listing " + i)
                .put("price", 10.0 + i).put("currency", "EUR").put("seller", "seller-" + (i % 3))
                .put("image_url", imageUrl);
    }

    private static void assertBatchGone(BatchKey batch) {
        stack.assertBatchGone(batch);
    }

    private static Scan awaitState(BatchKey batch, ScanState state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Optional<Scan> scan = Optional.empty();
        while (System.nanoTime() < deadline) {
            scan = await(store.scans().get(batch.clientId(), batch.scanId()));
            if (scan.isPresent() && scan.get().state() == state) {
                // The commit flips the scan before the AI message and /commit-complete: let them land.
                waitForBatchEnd(batch, deadline);
                return await(store.scans().get(batch.clientId(), batch.scanId())).orElseThrow();
            }
            Thread.sleep(100);
        }
        assertFalse(true, "scan never reached " + state + ": " + scan);
        return null;
    }

    private static void waitForBatchEnd(BatchKey batch, long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            try {
                await(registry.status(batch.toString()));
            } catch (Exception e) {
                return;
            }
            Thread.sleep(100);
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        return AcquireStack.await(future);
    }
}
