package io.brandscan.pipeline.watchdog;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.queue.QueueMessage;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient;
import io.brandscan.registry.RegistryHttpVerticle;
import io.brandscan.registry.RegistryVerticle;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanStore;
import io.brandscan.time.SettableClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watchdog on real parts (ElasticMQ, mongo-java-server, a real registry), its time moved by
 * a settable clock and its sweeps run by the test. Each test uses its own client id; the gather
 * and AI queues are drained before each look so tests do not see each other's messages.
 */
class ScanWatchdogTest {
    private static final Duration STALE = Duration.ofSeconds(60);
    private static final Duration RESEND = Duration.ofSeconds(300);

    private static DevServices services;
    private static Vertx vertx;
    private static SettableClock clock;
    private static ScanWatchdog watchdog;
    private static ScanStore store;
    private static SqsBroker broker;
    private static SqsQueue gatherQueue;
    private static SqsQueue aiQueue;
    private static RegistryClient registry;

    @BeforeAll
    static void start() throws Exception {
        services = DevServices.start(DevServicesSettings.ephemeral());
        vertx = Vertx.vertx();
        clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        JsonObject slice = new JsonObject().put("host", "127.0.0.1").put("port", port);
        vertx.deployVerticle(new RegistryVerticle(), new DeploymentOptions().setConfig(slice)).await();
        vertx.deployVerticle(new RegistryHttpVerticle(), new DeploymentOptions().setConfig(slice)).await();
        JsonObject adapters = services.adapterConfig();
        adapters.getJsonObject("sqs").put("create_queues", true).put("wait_time_s", 0)
                .put("queues", new JsonObject().put("gather", "wd-gather").put("acquire", "wd-acquire").put("ai", "wd-ai"));
        JsonObject conf = adapters.copy()
                .put("registry_client", new JsonObject().put("host", "127.0.0.1").put("port", port))
                .put("gather", new JsonObject().put("max_gather_attempts", 2))
                .put("watchdog", new JsonObject().put("interval_ms", 0).put("stale_after_ms", STALE.toMillis())
                        .put("resend_after_ms", RESEND.toMillis()));
        watchdog = new ScanWatchdog(clock);
        vertx.deployVerticle(watchdog, new DeploymentOptions().setConfig(conf)).await();
        store = ScanStore.open(vertx, conf.getJsonObject("mongo"), new JsonObject(), clock).await();
        broker = SqsBroker.create(vertx, conf.getJsonObject("sqs"));
        gatherQueue = broker.open("gather").await();
        aiQueue = broker.open("ai").await();
        registry = new RegistryClient(vertx, RegistryClient.Settings.local(port));
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.close().await();
        }
        if (broker != null) {
            broker.close();
        }
        if (services != null) {
            services.close();
        }
    }

    @Test
    void aQueuedScanWhoseMessageWasLostIsSentAgainOncePerWindow() {
        Scan scan = store.scans().create("wd-a", "brand", new JsonObject().put("name", "x")).await();
        drain(gatherQueue);
        clock.advance(RESEND.minusSeconds(1));
        watchdog.sweep().await();
        assertEquals(List.of(), drain(gatherQueue), "not yet: the scan is younger than resend_after_ms");

        clock.advance(Duration.ofSeconds(2));
        watchdog.sweep().await();
        List<String> sent = drain(gatherQueue);
        assertEquals(1, sent.stream().filter(b -> b.contains(scan.id())).count(), sent.toString());
        assertTrue(sent.get(0).contains("\"client_id\":\"wd-a\""));

        watchdog.sweep().await();
        assertEquals(List.of(), drain(gatherQueue), "touched: no second resend within the window");
    }

    @Test
    void aScanWhoseBatchTheRegistryStillHasIsLeftAlone() {
        Scan scan = acquiring("wd-b", 1);
        registry.start(scan.batchKey().orElseThrow().toString(), 3).await();
        clock.advance(STALE.plusSeconds(1));
        watchdog.sweep().await();
        Scan after = store.scans().get("wd-b", scan.id()).await().orElseThrow();
        assertEquals(ScanState.ACQUIRING, after.state());
        assertEquals(1, after.gatherAttempts());
    }

    @Test
    void aLostBatchStartsANewGatherAttemptAndOnceTheyAreUsedUpTheScanFails() {
        Scan scan = acquiring("wd-c", 1);
        drain(gatherQueue);
        clock.advance(STALE.plusSeconds(1));
        watchdog.sweep().await();
        Scan again = store.scans().get("wd-c", scan.id()).await().orElseThrow();
        assertEquals(ScanState.GATHERING, again.state());
        assertEquals(2, again.gatherAttempts());
        assertTrue(drain(gatherQueue).stream().anyMatch(b -> b.contains(scan.id())), "the gather message is sent");

        // The second attempt's batch is lost as well, and two attempts is the limit.
        store.scans().finishGather("wd-c", scan.id(), 2, 3).await().orElseThrow();
        clock.advance(STALE.plusSeconds(1));
        watchdog.sweep().await();
        Scan failed = store.scans().get("wd-c", scan.id()).await().orElseThrow();
        assertEquals(ScanState.FAILED, failed.state());
        assertTrue(failed.error().contains("registry lost batch") && failed.error().contains("2 gather attempts"),
                failed.error());
    }

    @Test
    void aScoringScanWhoseMessageWasLostGetsItAgain() {
        Scan scan = acquiring("wd-d", 1);
        store.scans().transition("wd-d", scan.id(), java.util.Set.of(ScanState.ACQUIRING), ScanState.COMMITTING).await();
        store.scans().transition("wd-d", scan.id(), java.util.Set.of(ScanState.COMMITTING), ScanState.SCORING).await();
        drain(aiQueue);
        clock.advance(RESEND.plusSeconds(1));
        watchdog.sweep().await();
        List<String> sent = drain(aiQueue);
        assertEquals(1, sent.stream().filter(b -> b.contains(scan.id()) && b.contains("wd-d/" + scan.id() + "/1")).count(),
                sent.toString());
    }

    @Test
    void badSettingsAreRefusedWithTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WatchdogSettings.fromGroup(
                new JsonObject().put("watchdog", new JsonObject().put("stale_after_ms", 0))));
        assertTrue(e.getMessage().contains("stale_after_ms"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WatchdogSettings.fromGroup(
                new JsonObject().put("watchdog", new JsonObject().put("limit", 0))));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    /** A scan in acquiring on gather attempt {@code attempt}, as gather leaves it. */
    private static Scan acquiring(String client, int attempt) {
        Scan scan = store.scans().create(client, "brand", new JsonObject().put("name", "x")).await();
        for (int a = 1; a <= attempt; a++) {
            store.scans().beginGather(client, scan.id(), 5).await().orElseThrow();
            store.scans().finishGather(client, scan.id(), a, 3).await().orElseThrow();
        }
        return store.scans().get(client, scan.id()).await().orElseThrow();
    }

    /** Receives and deletes everything in the queue now; the bodies. */
    private static List<String> drain(SqsQueue queue) {
        List<String> bodies = new java.util.ArrayList<>();
        while (true) {
            List<QueueMessage> batch = queue.receive(10, Duration.ZERO, Duration.ofSeconds(30)).await();
            if (batch.isEmpty()) {
                return bodies;
            }
            for (QueueMessage m : batch) {
                bodies.add(m.body());
                queue.delete(m.receiptHandle()).await();
            }
        }
    }
}
