package io.brandscan.pipeline.acquire;

import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient;
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

    private static AcquireStack stack;
    private static Vertx vertx;
    private static RegistryClient registry;
    private static ScanStore store;
    private static MongoClient mongo;

    @BeforeAll
    static void startEverything() throws Exception {
        stack = AcquireStack.start(LEASE_MS, "release_test");
        vertx = stack.vertx;
        registry = stack.registry;
        store = stack.store;
        mongo = stack.mongo;
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (stack != null) {
            stack.close();
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

    /** One test's queues and the scan it drives, and its workers' conf. */
    private static final class Scenario {
        final AcquireStack.ScanQueues queues;
        final SqsQueue jobs;
        final SqsQueue ai;
        final String name;

        Scenario(String name) throws Exception {
            this.name = name;
            // A long visibility: a message the stopping worker did not hand back would not return within the test.
            queues = stack.queues(name, stack.sqsConf("url-release-" + name, "ai-release-" + name, 120));
            jobs = queues.jobs;
            ai = queues.ai;
        }

        /** A worker's conf; {@code graceMs} is its commit_grace_ms, its sweeper is off. */
        JsonObject conf(long graceMs) {
            return stack.workerConf(queues.sqsConf, stack.s3Conf("release-test"), "acquire-" + name + "-" + System.nanoTime(),
                    new JsonObject().put("max_in_flight", 4).put("sweep_interval_ms", 0)
                            .put("commit_grace_ms", graceMs).put("progress_every", 5));
        }

        /** {@code count} listings, photos from the loopback image host, one job each. */
        BatchKey startScan(String scanId, int count) throws Exception {
            List<JsonObject> listings = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                listings.add(new JsonObject().put("url", "https://shop.example.com/" + name + "/" + i)
                        .put("title", "Listing " + i).put("price", 10.0 + i).put("currency", "EUR")
                        .put("seller", "seller-" + i).put("image_url", stack.images.url("/img/" + IMAGES[i % IMAGES.length])));
            }
            return queues.startScan(scanId, listings);
        }

        List<JsonObject> drainAi() throws Exception {
            return queues.drainAi();
        }
    }

    private static void assertBatchGone(BatchKey batch) {
        stack.assertBatchGone(batch);
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
        return AcquireStack.await(future);
    }
}
