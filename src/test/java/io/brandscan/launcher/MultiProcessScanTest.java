package io.brandscan.launcher;

import io.brandscan.demo.DemoMarketplaceVerticle;
import io.brandscan.launcher.GroupProcesses.GroupProcess;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.pipeline.ScanStarter;
import io.brandscan.queue.SqsBroker;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.brandscan.store.Finding;
import io.brandscan.store.FindingQuery;
import io.brandscan.store.Page;
import io.brandscan.store.ScanStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4, "Multi-process": the groups as separate JVMs on loopback, exactly as
 * {@code java io.brandscan.launcher.Main run <group>} starts them: {@code devservices} (ElasticMQ,
 * s3proxy and mongo-java-server, in memory, on free ports), {@code registry}, and two
 * {@code workers} processes. This JVM serves the demo marketplace, starts a scan over its own
 * ScanStore and SQS broker against the stand-ins, and checks the outcome in MongoDB: every url
 * committed exactly once, both workers processes acquired urls, and the marketplace's infringing
 * listings found while its clean ones are (with DemoScoringTest's tolerance) left alone.
 */
class MultiProcessScanTest {
    private static final int LISTINGS = 80;
    private static final String CLIENT = "mp-client";
    private static final long SCAN_TIMEOUT_S = 150;

    private static final GroupProcesses processes = new GroupProcesses("multiprocess");
    private static Vertx vertx;
    private static DemoMarketplaceVerticle market;
    private static JsonObject adapters;
    private static GroupProcess workersA;
    private static GroupProcess workersB;

    @BeforeAll
    static void startEverything() throws Exception {
        vertx = Vertx.vertx();
        market = new DemoMarketplaceVerticle();
        await(vertx.deployVerticle(market, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
                .put("size", LISTINGS))));
        String marketHost = "127.0.0.1:" + market.actualPort();

        int sqsPort = freePort();
        int s3Port = freePort();
        int mongoPort = freePort();
        int registryPort = freePort();
        // In memory: an empty s3 directory and h2 file turn the bundled file stores off.
        JsonObject devConf = new JsonObject().put("devservices", new JsonObject()
                .put("sqs", new JsonObject().put("port", sqsPort))
                .put("s3", new JsonObject().put("port", s3Port).put("directory", ""))
                .put("mongo", new JsonObject().put("port", mongoPort).put("h2_file", "")))
                .put("ops", new JsonObject().put("port", -1));
        GroupProcess devservices = start("devservices", devConf, "-Xmx384m");
        GroupProcess registry = start("registry", new JsonObject().put("registry",
                new JsonObject().put("host", "127.0.0.1").put("port", registryPort)), "-Xmx256m");
        awaitUp(devservices, sqsPort, s3Port, mongoPort);
        awaitUp(registry, registryPort);

        adapters = new JsonObject()
                .put("sqs", new JsonObject().put("endpoint", "http://127.0.0.1:" + sqsPort).put("access_key", "x")
                        .put("secret_key", "x").put("create_queues", true).put("wait_time_s", 2))
                .put("s3", new JsonObject().put("endpoint", "http://127.0.0.1:" + s3Port).put("access_key", "brandscan")
                        .put("secret_key", "brandscan-secret").put("path_style", true).put("create_bucket", true))
                .put("mongo", new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + mongoPort)
                        .put("db_name", "brandscan"));
        JsonObject workersConf = adapters.copy()
                .put("registry_client", new JsonObject().put("host", "127.0.0.1").put("port", registryPort))
                .put("gather", new JsonObject().put("allow", new JsonArray().add(marketHost)))
                .put("download", new JsonObject().put("allow", new JsonArray().add(marketHost)))
                .put("acquire", new JsonObject().put("max_in_flight", 4).put("sweep_interval_ms", 2000)
                        .put("stuck_after_ms", 10000))
                .put("watchdog", new JsonObject().put("interval_ms", 2000).put("stale_after_ms", 20000))
                // Two workers on one machine: no fixed ops port (8082 would be taken twice).
                .put("ops", new JsonObject().put("port", -1));
        workersA = start("workers-a", "workers", workersConf, "-Xmx512m");
        workersB = start("workers-b", "workers", workersConf, "-Xmx512m");
        awaitUp(workersA);
        awaitUp(workersB);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        processes.close();
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void registryDevservicesAndTwoWorkersProcessesCompleteAScan() throws Exception {
        Clock clock = Clock.systemUTC();
        ScanStore store = await(ScanStore.open(vertx, adapters.getJsonObject("mongo"), new JsonObject(), clock));
        SqsBroker broker = SqsBroker.create(vertx, adapters.getJsonObject("sqs"));
        MongoClient mongo = MongoConnection.client(vertx, adapters.getJsonObject("mongo"));
        try {
            ScanStarter starter = new ScanStarter(store.scans(), await(broker.open("gather")),
                    new ScanProgress(vertx, store.scans(), clock));
            Scan started = await(starter.start(CLIENT, "astra-outfitters", market.brandDocument()));
            Scan done = awaitTerminal(store, started);
            assertEquals(ScanState.COMPLETE, done.state(), "scan ended " + done.state() + " (" + done.error() + ")"
                    + diagnostics());

            JsonArray truth = new JsonObject(get(market.baseUrl() + "/truth.json")).getJsonArray("listings");
            assertEquals(LISTINGS, truth.size());
            Set<String> feedUrls = new HashSet<>();
            for (Object t : truth) {
                feedUrls.add(((JsonObject) t).getString("url"));
            }
            assertEquals(LISTINGS, feedUrls.size(), "the demo feed's urls are unique");

            // Every listing document of the scan, of any batch: each feed url exactly once, nothing else.
            List<JsonObject> docs = await(mongo.find("listings", new JsonObject().put("client_id", CLIENT)
                    .put("scan_id", started.id())));
            Map<String, Long> perUrl = docs.stream().collect(Collectors.groupingBy(d -> d.getString("url"),
                    Collectors.counting()));
            assertEquals(feedUrls, perUrl.keySet(), "the committed urls are the feed's");
            assertTrue(perUrl.values().stream().allMatch(n -> n == 1), "a url committed twice: " + perUrl);
            assertEquals(LISTINGS, docs.size());
            assertEquals(LISTINGS, await(store.listings().countCommitted(CLIENT, started.id())));
            assertEquals(LISTINGS, done.counts().committed(), "counts " + done.counts());

            // Both workers processes acquired urls of this batch (one DEBUG line per url acquired).
            long byA = acquiredLines(workersA);
            long byB = acquiredLines(workersB);
            assertTrue(byA > 0 && byB > 0, "both workers processes acquire: a=" + byA + " b=" + byB + diagnostics());
            assertTrue(byA + byB >= LISTINGS, "every url acquired by one of them: a=" + byA + " b=" + byB);

            // The findings against the ground truth, with DemoScoringTest's tolerance.
            List<Finding> findings = await(store.findings().find(CLIENT, started.id(), FindingQuery.all(Page.first(500))));
            assertEquals(LISTINGS, findings.size(), "every committed listing is scored");
            Map<String, Boolean> flagged = new HashMap<>();
            findings.forEach(f -> flagged.put(f.url(), f.breakdown().getBoolean("infringing", false)));
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (Object o : truth) {
                JsonObject t = (JsonObject) o;
                boolean infringing = t.getBoolean("infringing");
                boolean found = flagged.getOrDefault(t.getString("url"), false);
                tp += infringing && found ? 1 : 0;
                fp += !infringing && found ? 1 : 0;
                fn += infringing && !found ? 1 : 0;
            }
            assertTrue(tp + fn > 0, "the demo catalog has infringing listings");
            double precision = tp + fp == 0 ? 1.0 : tp / (double) (tp + fp);
            double recall = tp / (double) (tp + fn);
            System.out.printf("multi-process scan: %d listings, acquired a=%d b=%d, tp=%d fp=%d fn=%d, precision %.3f recall %.3f%n",
                    LISTINGS, byA, byB, tp, fp, fn, precision, recall);
            assertTrue(precision >= 0.9, "precision " + precision + " (tp=" + tp + " fp=" + fp + ")");
            assertTrue(recall >= 0.9, "recall " + recall + " (tp=" + tp + " fn=" + fn + ")");
        } finally {
            broker.close();
            mongo.close();
            store.close();
        }
    }

    private static long acquiredLines(GroupProcess p) {
        return p.output().lines().filter(l -> l.contains("url acquired batch=")).count();
    }

    private static Scan awaitTerminal(ScanStore store, Scan started) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SCAN_TIMEOUT_S);
        Scan now = started;
        while (System.nanoTime() < deadline) {
            now = await(store.scans().get(CLIENT, started.id())).orElse(now);
            if (now.state().isTerminal()) {
                return now;
            }
            processes.requireAlive();
            Thread.sleep(250);
        }
        throw new AssertionError("scan not done within " + SCAN_TIMEOUT_S + " s: state " + now.state() + ", counts "
                + now.counts() + diagnostics());
    }

    private static GroupProcess start(String group, JsonObject conf, String heap) throws IOException {
        return processes.start(group, group, conf, heap);
    }

    private static GroupProcess start(String name, String group, JsonObject conf, String heap) throws IOException {
        return processes.start(name, group, conf, heap);
    }

    private static void awaitUp(GroupProcess p, int... ports) throws Exception {
        processes.awaitUp(p, ports);
    }

    private static String diagnostics() {
        return processes.diagnostics();
    }

    private static int freePort() throws IOException {
        return GroupProcesses.freePort();
    }

    private static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        assertEquals(200, c.getResponseCode(), url);
        return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
