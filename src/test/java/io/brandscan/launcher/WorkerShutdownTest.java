package io.brandscan.launcher;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.pipeline.ScanStarter;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM on a {@code workers} process in the middle of a batch: it stops receiving, hands its
 * in-flight messages back to SQS at once (visibility 0, not after the two-minute visibility
 * timeout), and exits through its shutdown hook. Another worker then finishes the scan with
 * every url committed once. The stand-ins and the registry run in this JVM; the worker is its
 * own process.
 */
class WorkerShutdownTest {
    private static final int LISTINGS = 40;
    private static final int VISIBILITY_S = 120;

    private static DevServices services;
    private static Vertx vertx;
    private static HttpServer shop;
    private static JsonObject conf;
    private static ScanStore store;
    private static SqsBroker broker;
    private static ScanStarter starter;

    @BeforeAll
    static void start() throws Exception {
        services = DevServices.start(DevServicesSettings.ephemeral());
        vertx = Vertx.vertx();
        byte[] png;
        try (InputStream in = WorkerShutdownTest.class.getResourceAsStream("/images/coffee.png")) {
            png = in.readAllBytes();
        }
        shop = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/feed.json")) {
                JsonArray feed = new JsonArray();
                for (int i = 0; i < LISTINGS; i++) {
                    feed.add(new JsonObject().put("url", "http://shop.test/l/" + i).put("title", "Camp mug " + i)
                            .put("price", 20.0).put("currency", "USD").put("seller", "s" + i)
                            .put("image_url", "http://127.0.0.1:" + req.localAddress().port() + "/img/" + i + ".png"));
                }
                req.response().putHeader("content-type", "application/json").end(feed.encode());
            } else {
                // Slow images keep the worker mid-batch long enough to be stopped there.
                vertx.setTimer(400, t -> req.response().putHeader("content-type", "image/png").end(Buffer.buffer(png)));
            }
        });
        shop.listen(0, "127.0.0.1").await();
        int registryPort = freePort();
        RegistryGroup.start(vertx, new JsonObject().put("host", "127.0.0.1").put("port", registryPort)
                .put("http_instances", 1), null).await();
        String allow = "127.0.0.1:" + shop.actualPort();
        conf = AllGroup.withRegistryPort(AllGroup.withServices(GroupConfig.load("workers", null, Map.of()),
                services.adapterConfig()), registryPort);
        conf.getJsonObject("sqs").put("visibility_timeout_s", VISIBILITY_S).put("wait_time_s", 1);
        conf.getJsonObject("gather").put("allow", new JsonArray().add(allow));
        conf.put("download", new JsonObject().put("allow", new JsonArray().add(allow)));
        conf.getJsonObject("acquire").put("max_in_flight", 4);
        conf.put("ops", new JsonObject().put("host", "127.0.0.1").put("port", freePort()));
        store = ScanStore.open(vertx, conf.getJsonObject("mongo"), new JsonObject(), Clock.systemUTC()).await();
        broker = SqsBroker.create(vertx, conf.getJsonObject("sqs"));
        starter = new ScanStarter(store.scans(), broker.open("gather").await(),
                new ScanProgress(vertx, store.scans(), Clock.systemUTC()));
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
    void aWorkerStoppedMidBatchHandsItsMessagesBackAtOnceAndAnotherFinishesTheScan() throws Exception {
        Path log = Path.of("target", "worker-shutdown-test.log");
        Process worker = startWorkers(log);
        try {
            JsonObject brand = new JsonObject().put("name", "Basecamp").put("names", new JsonArray().add("Basecamp"))
                    .put("reference_images", new JsonArray().add(resourcePath("/images/coffee.png")))
                    .put("provider", new JsonObject().put("type", "json-feed")
                            .put("url", "http://127.0.0.1:" + shop.actualPort() + "/feed.json"));
            Scan scan = starter.start("acme", "basecamp", brand).await();
            Scan midway = waitUntil(scan, s -> s.counts().acquired() >= 4 || s.state().isTerminal(), Duration.ofMinutes(3),
                    worker, log);
            assertEquals(ScanState.ACQUIRING, midway.state(), "still acquiring when the worker is stopped");

            worker.destroy(); // SIGTERM
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker exits after SIGTERM");
            assertEquals(143, worker.exitValue());
            String output = Files.readString(log);
            assertTrue(output.contains("stopping group workers"), "the shutdown hook ran");
            assertFalse(output.contains("did not stop cleanly"), output.lines().filter(l -> l.contains("cleanly"))
                    .collect(Collectors.joining("\n")));

            // Handed back: nothing of the url queue is still invisible, well inside the visibility timeout.
            SqsQueue urls = broker.open("acquire").await();
            SqsQueue.QueueDepth depth = urls.depth().await();
            Scan atStop = store.scans().get("acme", scan.id()).await().orElseThrow();
            assertEquals(0, depth.inFlight(), "messages still held after the worker stopped: " + depth);
            assertTrue(depth.visible() > 0, "the rest of the batch waits in the queue: " + depth);
            assertTrue(atStop.counts().acquired() + atStop.counts().failed() < LISTINGS);

            // Another worker picks them up at once and the scan completes exactly.
            long restarted = System.nanoTime();
            new WorkersGroup().deploy(vertx, conf.copy().put("ops", new JsonObject().put("port", -1)), null).await();
            Scan done = waitUntil(scan, s -> s.state().isTerminal(), Duration.ofMinutes(3), null, log);
            assertEquals(ScanState.COMPLETE, done.state(), () -> "ended " + done.state() + ": " + done.error());
            assertTrue(System.nanoTime() - restarted < TimeUnit.SECONDS.toNanos(VISIBILITY_S),
                    "finished before any visibility timeout could have returned the messages");
            assertEquals(LISTINGS, done.counts().committed());
            List<JsonObject> docs = MongoConnection.client(vertx, conf.getJsonObject("mongo"))
                    .find("listings", new JsonObject().put("client_id", "acme").put("scan_id", done.id())
                            .put("batch_key", done.committedBatch())).await();
            assertEquals(LISTINGS, docs.stream().map(d -> d.getString("url")).distinct().count());
            assertEquals(LISTINGS, docs.size(), "no url committed twice");
        } finally {
            if (worker.isAlive()) {
                worker.destroyForcibly();
            }
        }
    }

    private static Process startWorkers(Path log) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Dai.djl.offline=true", "-Xmx1g",
                Main.class.getName(), "run", "workers", "-conf", conf.encode()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The classpath travels in the environment: a long command line crashes ONNX Runtime.
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        return builder.start();
    }

    private static Scan waitUntil(Scan scan, Predicate<Scan> done, Duration timeout, Process worker, Path log)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Scan now = scan;
        while (System.nanoTime() < deadline) {
            if (worker != null && !worker.isAlive()) {
                throw new AssertionError("the worker exited early with " + worker.exitValue() + ":\n"
                        + Files.readString(log).lines().skip(Math.max(0, Files.readString(log).lines().count() - 30))
                        .collect(Collectors.joining("\n")));
            }
            now = store.scans().get(scan.clientId(), scan.id()).await().orElseThrow();
            if (done.test(now)) {
                return now;
            }
            Thread.sleep(100);
        }
        return now;
    }

    private static String resourcePath(String resource) throws Exception {
        return Path.of(WorkerShutdownTest.class.getResource(resource).toURI()).toString();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
