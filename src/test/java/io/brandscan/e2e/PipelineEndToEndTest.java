package io.brandscan.e2e;

import io.brandscan.demo.DemoMarketplaceVerticle;
import io.brandscan.launcher.AllGroup;
import io.brandscan.launcher.GroupConfig;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.pipeline.ScanStarter;
import io.brandscan.queue.SqsBroker;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanFailure;
import io.brandscan.scan.ScanState;
import io.brandscan.store.Finding;
import io.brandscan.store.FindingQuery;
import io.brandscan.store.Page;
import io.brandscan.store.ScanStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline in one process, the way {@code run all} and the {@code scan} command run it:
 * the embedded stand-ins (ElasticMQ, s3proxy, mongo-java-server), the registry, gather, acquire,
 * ai, the embedding worker with the real model, and the watchdog. The feed is the demo
 * marketplace's 210 listings (near-copies of the brand's photos under look-alike titles, and
 * clean distractors), of which about 5% have image urls that answer 500, never answer, or are
 * not images, plus listings that point at a loopback canary directly, over [::1], and through
 * a redirect. Non-loopback SSRF targets are proven refused without a connection in
 * {@code io.brandscan.acquire.SsrfRefusalTest}: nothing here may send a packet off this machine.
 */
class PipelineEndToEndTest {
    private static final String CLIENT = "acme";
    private static final int LISTINGS = 210;

    private static Vertx vertx;
    private static DemoMarketplaceVerticle market;
    private static FeedServer feed;
    private static Canary canary;
    private static Canary canary6;
    private static JsonObject workersConf;
    private static ScanStore store;
    private static SqsBroker broker;
    private static ScanStarter starter;
    private static MongoClient mongo;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        market = new DemoMarketplaceVerticle();
        vertx.deployVerticle(market, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
                .put("size", LISTINGS))).await();
        feed = FeedServer.start(vertx);
        canary = Canary.start(vertx, "127.0.0.1");
        canary6 = Canary.start(vertx, "::1");
        JsonObject conf = GroupConfig.load("all", null, Map.of());
        String allowMarket = "127.0.0.1:" + market.actualPort();
        String allowFeed = "127.0.0.1:" + feed.port();
        conf.getJsonObject("gather").put("allow", new JsonArray().add(allowFeed));
        conf.put("download", new JsonObject().put("allow", new JsonArray().add(allowMarket).add(allowFeed))
                .put("timeout_ms", 1500).put("connect_timeout_ms", 1000));
        conf.getJsonObject("sqs").put("visibility_timeout_s", 20).put("wait_time_s", 1);
        conf.put("watchdog", new JsonObject().put("interval_ms", 500).put("stale_after_ms", 5000));
        conf.getJsonObject("registry").put("http_instances", 1);
        workersConf = AllGroup.start(vertx, conf, null).await();
        store = ScanStore.open(vertx, workersConf.getJsonObject("mongo"), new JsonObject(), Clock.systemUTC()).await();
        broker = SqsBroker.create(vertx, workersConf.getJsonObject("sqs"));
        starter = new ScanStarter(store.scans(), broker.open("gather").await(),
                new ScanProgress(vertx, store.scans(), Clock.systemUTC()));
        mongo = MongoConnection.client(vertx, workersConf.getJsonObject("mongo"));
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.close().await();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void twoHundredListingsAreCommittedOnceTheInfringingFoundAndBadImagesRecorded() throws Exception {
        WebClient web = WebClient.create(vertx);
        JsonArray listings = web.getAbs(market.baseUrl() + "/feed.json").send().await().bodyAsJsonArray();
        JsonArray truth = web.getAbs(market.baseUrl() + "/truth.json").send().await().bodyAsJsonObject()
                .getJsonArray("listings");
        assertEquals(LISTINGS, listings.size());
        Map<String, Boolean> infringing = new HashMap<>();
        for (int i = 0; i < truth.size(); i++) {
            infringing.put(truth.getJsonObject(i).getString("url"), truth.getJsonObject(i).getBoolean("infringing"));
        }
        // Every 20th listing's image misbehaves (about 5%), in turn a 500, a timeout and not an image.
        Set<String> badImages = new HashSet<>();
        String[] kinds = {"500", "slow", "text"};
        for (int i = 0; i < listings.size(); i += 20) {
            JsonObject l = listings.getJsonObject(i);
            l.put("image_url", feed.base() + "/bad/" + kinds[(i / 20) % 3] + "/" + i + ".jpg");
            badImages.add(l.getString("url"));
        }
        // SSRF: listings whose images point at a loopback service that is not allowed.
        Set<String> ssrf = new HashSet<>();
        String[] targets = {
                "http://127.0.0.1:" + canary.port() + "/latest/meta-data",
                "http://[::1]:" + canary6.port() + "/admin.png",
                "http://localhost:" + canary.port() + "/x.jpg",
                "http://2130706433:" + canary.port() + "/decimal.jpg",
                feed.base() + "/redirect?to=http://127.0.0.1:" + canary.port() + "/redirected.jpg",
        };
        for (int i = 0; i < targets.length; i++) {
            String url = "http://shop.test/ssrf/" + i;
            listings.add(new JsonObject().put("url", url).put("title", "Astra Outfitters bargain " + i)
                    .put("price", 10.0).put("currency", "USD").put("seller", "ssrf-seller").put("image_url", targets[i]));
            ssrf.add(url);
        }
        feed.serve(listings);
        JsonObject brand = market.brandDocument().put("provider",
                new JsonObject().put("type", "json-feed").put("url", feed.base() + "/feed.json"));

        Scan scan = starter.start(CLIENT, "astra", brand).await();
        Scan done = waitForEnd(scan, Duration.ofMinutes(6));

        assertEquals(ScanState.COMPLETE, done.state(), () -> "scan ended " + done.state() + ": " + done.error());
        int total = listings.size();
        assertEquals(total, done.counts().gathered());
        Set<String> failed = done.failures().stream().map(ScanFailure::url).collect(Collectors.toSet());
        Set<String> expectedFailures = new HashSet<>(badImages);
        expectedFailures.addAll(ssrf);
        assertEquals(expectedFailures, failed, "exactly the bad and the SSRF images failed");
        assertEquals(expectedFailures.size(), done.counts().failed());
        done.failures().forEach(f -> assertTrue(f.error() != null && !f.error().isBlank(), "a reason for " + f.url()));
        assertEquals(0, canary.hits(), "the loopback canary was reached");
        assertEquals(0, canary6.hits(), "the [::1] canary was reached");

        // Every url committed exactly once: one listing document per url in the committed batch.
        List<JsonObject> docs = mongo.find("listings", new JsonObject().put("client_id", CLIENT)
                .put("scan_id", done.id()).put("batch_key", done.committedBatch())).await();
        Map<String, Long> perUrl = docs.stream().collect(Collectors.groupingBy(d -> d.getString("url"),
                Collectors.counting()));
        assertEquals(total - expectedFailures.size(), docs.size(), "one document per acquired listing");
        perUrl.forEach((url, n) -> assertEquals(1L, n, url + " committed more than once"));
        assertEquals(total - expectedFailures.size(), done.counts().committed());
        assertEquals(done.counts().committed(), done.counts().scored());

        // The infringing ones found, the clean ones not.
        List<Finding> scored = store.findings().find(CLIENT, done.id(), FindingQuery.all(Page.first(1000))).await();
        assertEquals(done.counts().scored(), scored.size());
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int clean = 0;
        for (Finding f : scored) {
            if (ssrf.contains(f.url())) {
                continue;
            }
            boolean truthInfringing = infringing.get(f.url());
            boolean found = f.breakdown().getBoolean("infringing");
            tp += truthInfringing && found ? 1 : 0;
            fp += !truthInfringing && found ? 1 : 0;
            fn += truthInfringing && !found ? 1 : 0;
            clean += truthInfringing ? 0 : 1;
            if (truthInfringing != found) {
                System.out.printf("miss: truth=%s score=%.3f %s %s%n", truthInfringing, f.score(), f.title(), f.url());
            }
        }
        System.out.printf("e2e: %d scored, tp=%d fp=%d fn=%d clean=%d findings=%d%n", scored.size(), tp, fp, fn, clean,
                done.counts().findings());
        assertTrue(tp + fn > 30 && clean > 100, "the feed has both kinds");
        assertTrue(fn <= (tp + fn) / 20, "at most 5% of the infringing listings missed: " + fn + " of " + (tp + fn));
        assertTrue(fp <= clean / 50, "at most 2% of the clean listings flagged: " + fp + " of " + clean);
        assertEquals(tp + fp, done.counts().findings());
    }

    static Scan waitForEnd(Scan scan, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Scan now = scan;
        while (System.nanoTime() < deadline) {
            now = store.scans().get(scan.clientId(), scan.id()).await().orElseThrow();
            if (now.state().isTerminal()) {
                return now;
            }
            Thread.sleep(250);
        }
        return now;
    }
}
