package io.brandscan.e2e;

import io.brandscan.demo.DemoMarketplaceVerticle;
import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.launcher.AllGroup;
import io.brandscan.launcher.GroupConfig;
import io.brandscan.launcher.WorkersGroup;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.pipeline.ScanStarter;
import io.brandscan.queue.SqsBroker;
import io.brandscan.registry.RegistryHttpVerticle;
import io.brandscan.registry.RegistryVerticle;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry holds every batch in memory only, so its restart mid-scan loses the scan's batch:
 * the url jobs still in the queue get 404 and are dropped, the scan stops moving, and the
 * watchdog, seeing a stale acquiring scan whose batch the registry does not know, starts a
 * second gather attempt under a new batch key. The scan must then complete with every url
 * committed once, in the second attempt's batch.
 */
class RegistryRestartTest {
    private static final String CLIENT = "acme";
    private static final int LISTINGS = 60;

    private static DevServices services;
    private static Vertx vertx;
    private static DemoMarketplaceVerticle market;
    private static int registryPort;
    private static List<String> registryDeployments = List.of();
    private static ScanStore store;
    private static SqsBroker broker;
    private static ScanStarter starter;
    private static MongoClient mongo;

    @BeforeAll
    static void start() throws Exception {
        services = DevServices.start(DevServicesSettings.ephemeral());
        vertx = Vertx.vertx();
        market = new DemoMarketplaceVerticle();
        vertx.deployVerticle(market, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
                .put("size", LISTINGS))).await();
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            registryPort = free.getLocalPort();
        }
        startRegistry();
        JsonObject conf = AllGroup.withRegistryPort(AllGroup.withServices(GroupConfig.load("all", null, Map.of()),
                services.adapterConfig()), registryPort);
        String allowMarket = "127.0.0.1:" + market.actualPort();
        conf.getJsonObject("gather").put("allow", new JsonArray().add(allowMarket));
        conf.put("download", new JsonObject().put("allow", new JsonArray().add(allowMarket)));
        conf.getJsonObject("acquire").put("max_in_flight", 2);
        conf.getJsonObject("sqs").put("visibility_timeout_s", 20).put("wait_time_s", 1);
        conf.put("watchdog", new JsonObject().put("interval_ms", 300).put("stale_after_ms", 2000));
        new WorkersGroup().deploy(vertx, conf, null).await();
        store = ScanStore.open(vertx, conf.getJsonObject("mongo"), new JsonObject(), Clock.systemUTC()).await();
        broker = SqsBroker.create(vertx, conf.getJsonObject("sqs"));
        starter = new ScanStarter(store.scans(), broker.open("gather").await(),
                new ScanProgress(vertx, store.scans(), Clock.systemUTC()));
        mongo = MongoConnection.client(vertx, conf.getJsonObject("mongo"));
    }

    /** A fresh, empty registry on the fixed port: what a restarted registry process is. */
    private static void startRegistry() {
        JsonObject slice = new JsonObject().put("host", "127.0.0.1").put("port", registryPort).put("http_instances", 1);
        String owner = vertx.deployVerticle(new RegistryVerticle(), new DeploymentOptions().setConfig(slice)).await();
        String http = vertx.deployVerticle(new RegistryHttpVerticle(), new DeploymentOptions().setConfig(slice)).await();
        registryDeployments = List.of(http, owner);
    }

    private static void restartRegistry() {
        for (String id : registryDeployments) {
            vertx.undeploy(id).await();
        }
        startRegistry();
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
    void aScanWhoseBatchTheRegistryLostIsGatheredAgainAndCompletes() throws Exception {
        Scan scan = starter.start(CLIENT, "astra", market.brandDocument()).await();
        Scan midway = waitUntil(scan, s -> s.state() == ScanState.ACQUIRING && s.counts().acquired() >= 5
                || s.state().isTerminal(), Duration.ofMinutes(3));
        assertEquals(ScanState.ACQUIRING, midway.state(), "the scan should still be acquiring when the registry restarts");
        assertEquals(1, midway.gatherAttempts());
        restartRegistry();

        Scan done = waitUntil(scan, s -> s.state().isTerminal(), Duration.ofMinutes(4));
        assertEquals(ScanState.COMPLETE, done.state(), () -> "scan ended " + done.state() + ": " + done.error());
        assertEquals(2, done.gatherAttempts(), "one more gather attempt after the registry lost the batch");
        assertEquals(LISTINGS, done.counts().gathered());
        assertEquals(LISTINGS, done.counts().committed(), "counts restart with the new attempt");
        assertTrue(done.committedBatch().endsWith("/2"), done.committedBatch());

        List<JsonObject> docs = mongo.find("listings", new JsonObject().put("client_id", CLIENT)
                .put("scan_id", done.id()).put("batch_key", done.committedBatch())).await();
        Map<String, Long> perUrl = docs.stream().collect(Collectors.groupingBy(d -> d.getString("url"),
                Collectors.counting()));
        assertEquals(LISTINGS, perUrl.size());
        perUrl.forEach((url, n) -> assertEquals(1L, n, url + " committed more than once"));

        List<ScanEvent> events = store.scans().eventsAfter(CLIENT, done.id(), 0, 500).await();
        assertTrue(events.stream().anyMatch(e -> e.detail() != null && e.detail().contains("registry lost batch")),
                "the re-gather is reported as a progress event");
    }

    private static Scan waitUntil(Scan scan, java.util.function.Predicate<Scan> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Scan now = scan;
        while (System.nanoTime() < deadline) {
            now = store.scans().get(scan.clientId(), scan.id()).await().orElseThrow();
            if (done.test(now)) {
                return now;
            }
            Thread.sleep(100);
        }
        return now;
    }
}
