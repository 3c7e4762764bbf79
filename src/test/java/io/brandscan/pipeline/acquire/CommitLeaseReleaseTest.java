package io.brandscan.pipeline.acquire;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.queue.QueueMessage;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient;
import io.brandscan.registry.RegistryClient.RegistryClientException;
import io.brandscan.registry.RegistryHttpVerticle;
import io.brandscan.registry.RegistryVerticle;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker stopped gracefully (its whole Vert.x closed) while it holds a commit lease: it lets a
 * commit that can finish within {@code commit_grace_ms} finish, and otherwise releases the lease,
 * so another worker commits at once. The registry's lease is a minute long: without the release
 * the takeover could not happen inside these tests' deadlines. Real parts throughout: ElasticMQ,
 * s3proxy, mongo-java-server, the registry over HTTP, a loopback image host and the ONNX model.
 */
class CommitLeaseReleaseTest {
    private static final long LEASE_MS = 60_000;
    private static final String[] IMAGES = {"astronaut.png", "brick.png", "camera.png", "coffee.png", "moon.png"};

    private static DevServices services;
    private static Vertx vertx;
    private static ImageServer images;
    private static int registryPort;
    private static RegistryClient registry;
    private static ScanStore store;
    private static MongoClient mongo;

    @BeforeAll
    static void startEverything() throws Exception {
        services = DevServices.start(DevServicesSettings.ephemeral());
        vertx = Vertx.vertx();
        images = ImageServer.start(vertx);
        List<RegistryHttpVerticle> http = new CopyOnWriteArrayList<>();
        JsonObject registryConf = new JsonObject().put("port", -1).put("host", "127.0.0.1").put("lease_ms", LEASE_MS);
        await(vertx.deployVerticle(new RegistryVerticle(Clock.systemUTC()), new DeploymentOptions().setConfig(registryConf))
                .compose(id -> vertx.deployVerticle(() -> {
                    RegistryHttpVerticle v = new RegistryHttpVerticle();
                    http.add(v);
                    return v;
                }, new DeploymentOptions().setConfig(registryConf).setInstances(1))));
        registryPort = http.get(0).actualPort();
        registry = new RegistryClient(vertx, RegistryClient.Settings.local(registryPort));
        await(vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));
        store = await(ScanStore.open(vertx, mongoConf().put("pool_name", "release-test"), new JsonObject(), Clock.systemUTC()));
        mongo = MongoConnection.client(vertx, mongoConf().put("pool_name", "release-test-raw"));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (vertx != null) {
            await(vertx.close());
        }
        if (services != null) {
            services.close();
        }
    }

    @Test
    void aWorkerStoppedWhileHoldingALeaseReleasesItAndAnotherCommitsLongBeforeTheLeaseWouldExpire() throws Exception {
        Scenario s = new Scenario("released");
        BatchKey batch = s.startScan("scan-released", 8);
        // Worker A is granted the commit and stalls in it: it cannot finish within its grace.
        CountDownLatch reachedCommit = new CountDownLatch(1);
        Function<BatchKey, Future<Void>> stalls = b -> {
            reachedCommit.countDown();
            return Promise.<Void>promise().future();
        };
        Vertx processA = Vertx.vertx();
        AcquireVerticle workerA = new AcquireVerticle(Clock.systemUTC(), stalls);
        await(processA.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));
        await(processA.deployVerticle(workerA, new DeploymentOptions().setConfig(s.conf(500))));
        assertTrue(reachedCommit.await(120, TimeUnit.SECONDS), "worker A was granted the commit");
        JsonObject leased = await(registry.status(batch.toString()));
        assertEquals("leased", leased.getString("commit_state"));
        assertEquals(1, leased.getInteger("lease_grants"));

        long stopping = System.nanoTime();
        await(processA.close());
        JsonObject afterStop = await(registry.status(batch.toString()));
        assertEquals("available", afterStop.getString("commit_state"),
                "the stopped worker gave its lease back: " + afterStop);
        assertEquals(0L, await(mongo.count("listings", new JsonObject().put("scan_id", batch.scanId()))));

        // Worker B has no sweeper: only the completing url job, handed back by A, can make it claim.
        AcquireVerticle workerB = new AcquireVerticle();
        String idB = await(vertx.deployVerticle(workerB, new DeploymentOptions().setConfig(s.conf(0))));
        try {
            Scan scan = awaitState(batch, ScanState.SCORING, stopping + TimeUnit.MILLISECONDS.toNanos(LEASE_MS / 2));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
            assertTrue(tookMs < LEASE_MS, "committed " + tookMs + " ms after the stop, before the lease expiry");
            assertEquals(1, workerB.commits(), "worker B took the released commit over");
            assertEquals(0, workerA.commits());
            assertEquals(8, scan.counts().acquired());
            assertEquals(8, scan.counts().committed());
            assertEquals(8L, await(mongo.count("listings", new JsonObject().put("scan_id", batch.scanId()))));
            assertEquals(1, s.drainAi().size(), "the AI phase is enqueued once");
            assertBatchGone(batch);
        } finally {
            await(vertx.undeploy(idB));
        }
    }

    @Test
    void aCommitThatCanFinishWithinTheGraceIsFinishedByTheStoppingWorker() throws Exception {
        Scenario s = new Scenario("graceful");
        BatchKey batch = s.startScan("scan-graceful", 6);
        Vertx processA = Vertx.vertx();
        // The commit is slow (1.5 s before it writes) but well inside a 15 s grace.
        CountDownLatch reachedCommit = new CountDownLatch(1);
        Function<BatchKey, Future<Void>> slow = b -> {
            reachedCommit.countDown();
            Promise<Void> later = Promise.promise();
            processA.setTimer(1_500, id -> later.complete());
            return later.future();
        };
        AcquireVerticle workerA = new AcquireVerticle(Clock.systemUTC(), slow);
        await(processA.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));
        await(processA.deployVerticle(workerA, new DeploymentOptions().setConfig(s.conf(15_000))));
        assertTrue(reachedCommit.await(120, TimeUnit.SECONDS), "worker A was granted the commit");

        await(processA.close());
        // No other worker exists: whatever is committed, the stopping worker committed.
        assertEquals(1, workerA.commits(), "the stopping worker finished its commit");
        Scan scan = await(store.scans().get(batch.clientId(), batch.scanId())).orElseThrow();
        assertEquals(ScanState.SCORING, scan.state());
        assertEquals(6, scan.counts().committed());
        assertEquals(6L, await(mongo.count("listings", new JsonObject().put("scan_id", batch.scanId()))));
        assertEquals(1, s.drainAi().size());
        assertBatchGone(batch);
        SqsQueue.QueueDepth depth = await(s.jobs.depth());
        assertEquals(0, depth.visible() + depth.inFlight(), "the completing job was deleted, not handed back: " + depth);
    }

    @Test
    void aCommitGrantedAfterTheStopBeganIsNotStartedAndItsLeaseGoesStraightBack() throws Exception {
        Scenario s = new Scenario("late");
        BatchKey batch = new BatchKey("client-late", "scan-late", 1);
        await(registry.start(batch.toString(), 1));
        String lease = await(registry.submit(batch.toString(), new JsonObject().put("url", "https://shop.example.com/late/0")))
                .lease();
        BatchCommitter committer = new BatchCommitter(vertx, Duration.ZERO, registry, store.scans(), store.listings(), s.ai,
                new ScanProgress(vertx, store.scans(), Clock.systemUTC()), Clock.systemUTC(), b -> Future.succeededFuture());
        await(committer.stop(Duration.ofSeconds(5))); // nothing under way: done at once

        Exception refused = assertThrows(Exception.class, () -> await(committer.commit(batch, lease)));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("stopping"), refused.getCause().getMessage());
        assertEquals("available", await(registry.status(batch.toString())).getString("commit_state"),
                "the lease went back without waiting a minute for it to expire");
        RegistryClient.CommitReply claim = await(registry.claimCommit(batch.toString()));
        assertTrue(claim.shouldCommit(), "another worker's claim is granted at once");
        assertEquals(0, committer.flips());
        assertTrue(s.drainAi().isEmpty(), "nothing was committed");
        await(registry.commitComplete(batch.toString(), claim.lease()));
    }

    /** One test's queues and the scan it drives. */
    private static final class Scenario {
        final String name;
        final SqsBroker broker;
        final SqsQueue jobs;
        final SqsQueue ai;

        Scenario(String name) throws Exception {
            this.name = name;
            broker = SqsBroker.create(vertx, sqsConf(name));
            jobs = await(broker.open("acquire"));
            ai = await(broker.open("ai"));
        }

        /** A worker's conf; {@code graceMs} is its commit_grace_ms, its sweeper is off. */
        JsonObject conf(long graceMs) {
            return new JsonObject()
                    .put("sqs", sqsConf(name))
                    .put("s3", services.adapterConfig().getJsonObject("s3").copy().put("create_bucket", true)
                            .put("bucket", "release-test"))
                    .put("mongo", mongoConf().put("pool_name", "acquire-" + name + "-" + System.nanoTime()))
                    .put("download", new JsonObject().put("allow", "127.0.0.1:" + images.port()).put("timeout_ms", 5000))
                    .put("registry_client", new JsonObject().put("port", registryPort))
                    .put("acquire", new JsonObject().put("max_in_flight", 4).put("sweep_interval_ms", 0)
                            .put("commit_grace_ms", graceMs).put("progress_every", 5));
        }

        /** What gather does: the scan moves to acquiring, the registry batch starts, one job per listing. */
        BatchKey startScan(String scanId, int count) throws Exception {
            String client = "client-" + name;
            await(store.scans().create(client, scanId, "brand-" + name));
            Scan gathering = await(store.scans().beginGather(client, scanId, 3)).orElseThrow();
            await(store.scans().transition(client, scanId, Set.of(ScanState.GATHERING), ScanState.ACQUIRING)).orElseThrow();
            BatchKey batch = gathering.batchKey().orElseThrow();
            await(registry.start(batch.toString(), count));
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                JsonObject listing = new JsonObject().put("url", "https://shop.example.com/" + name + "/" + i)
                        .put("title", "Listing " + i).put("price", 10.0 + i).put("currency", "EUR")
                        .put("seller", "seller-" + i).put("image_url", images.url("/img/" + IMAGES[i % IMAGES.length]));
                bodies.add(new JsonObject().put("client_id", batch.clientId()).put("scan_id", batch.scanId())
                        .put("batch", batch.toString()).put("listing", listing).encode());
            }
            await(jobs.sendBatch(bodies));
            return batch;
        }

        List<JsonObject> drainAi() throws Exception {
            List<JsonObject> bodies = new ArrayList<>();
            while (true) {
                List<QueueMessage> got = await(ai.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30)));
                if (got.isEmpty()) {
                    return bodies;
                }
                for (QueueMessage m : got) {
                    bodies.add(new JsonObject(m.body()));
                    await(ai.delete(m.receiptHandle()));
                }
            }
        }
    }

    private static JsonObject sqsConf(String name) {
        return services.adapterConfig().getJsonObject("sqs").copy()
                .put("create_queues", true)
                .put("queues", new JsonObject().put("acquire", "url-release-" + name).put("ai", "ai-release-" + name))
                .put("wait_time_s", 1)
                // Long: a message the stopping worker did not hand back would not return within the test.
                .put("visibility_timeout_s", 120)
                .put("max_receive_count", 4)
                .put("retry_backoff_s", 0.2)
                .put("retry_backoff_max_s", 1);
    }

    private static JsonObject mongoConf() {
        return services.adapterConfig().getJsonObject("mongo").copy().put("db_name", "release_test");
    }

    private static void assertBatchGone(BatchKey batch) {
        Exception e = assertThrows(Exception.class, () -> await(registry.status(batch.toString())));
        RegistryClientException refused = assertInstanceOf(RegistryClientException.class, e.getCause());
        assertEquals(404, refused.status());
    }

    /** Waits for the scan to reach {@code state} and its registry batch to end, until the deadline. */
    private static Scan awaitState(BatchKey batch, ScanState state, long deadlineNanos) throws Exception {
        while (System.nanoTime() < deadlineNanos) {
            Scan scan = await(store.scans().get(batch.clientId(), batch.scanId())).orElseThrow();
            if (scan.state() == state) {
                boolean ended = false;
                while (!ended && System.nanoTime() < deadlineNanos) {
                    try {
                        await(registry.status(batch.toString()));
                        Thread.sleep(100);
                    } catch (Exception gone) {
                        ended = true;
                    }
                }
                return await(store.scans().get(batch.clientId(), batch.scanId())).orElseThrow();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("scan " + batch + " did not reach " + state + " within half the lease");
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
