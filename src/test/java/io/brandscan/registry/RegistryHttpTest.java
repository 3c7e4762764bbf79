package io.brandscan.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.bus.Addresses;
import io.brandscan.launcher.VertxFactory;
import io.brandscan.time.SettableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry over real HTTP: the seed's contract, leases, paths and operator endpoints. */
class RegistryHttpTest {
    private Vertx vertx;
    private SettableClock clock;
    private TestHttp http;

    @BeforeEach
    void setUp() {
        vertx = Vertx.builder().with(VertxFactory.options()).build();
        clock = SettableClock.startingAt("2026-11-22T10:00:00Z");
        int port = RegistryServer.start(vertx, new JsonObject().put("lease_ms", 30_000).put("max_body_bytes", 64 * 1024)
                .put("progress_interval_ms", 20), clock, 2);
        http = new TestHttp(vertx, port);
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    @Test
    void theSeedsPayloadsWorkVerbatim() {
        TestHttp.Answer started = http.post("/start", "{\n  \"brand\": \"nike\",\n  \"expected_count\": 27\n}");
        assertEquals(200, started.status());

        String seedSubmit = "{\n  \"brand\": \"nike\",\n  \"result\": {\n    \"url\": \"https://cdn.com/abc.jpg\",\n"
                + "    \"embedding\": [0.12, -0.5, 3.25e-2],\n    \"s3_path\": \"s3://bucket/abc.jpg\"\n  }\n}";
        TestHttp.Answer submitted = http.post("/submit", seedSubmit);
        assertEquals(200, submitted.status());
        assertEquals(false, submitted.json().getBoolean("should_commit"));
        assertEquals(1, submitted.json().getInteger("completed"));
        assertEquals(27, submitted.json().getInteger("expected"));

        JsonArray results = http.get("/results/nike").array();
        assertEquals(1, results.size());
        JsonObject kept = results.getJsonObject(0);
        assertEquals("https://cdn.com/abc.jpg", kept.getString("url"));
        assertEquals("s3://bucket/abc.jpg", kept.getString("s3_path"));
        assertEquals(List.of(0.12f, -0.5f, 0.0325f), kept.getJsonArray("embedding").stream()
                .map(n -> ((Number) n).floatValue()).toList());

        for (int i = 2; i <= 26; i++) {
            assertFalse(http.post("/submit", submit("nike", "https://cdn.com/" + i + ".jpg")).json().getBoolean("should_commit"));
        }
        JsonObject last = http.post("/submit", submit("nike", "https://cdn.com/27.jpg")).json();
        assertTrue(last.getBoolean("should_commit"));
        assertNotNull(last.getString("lease"));
        assertEquals(27, http.get("/results/nike").array().size());
        // Pages in arrival order: every result once, the last page short, past the end empty.
        List<String> paged = new java.util.ArrayList<>();
        for (int offset = 0; offset < 27; offset += 10) {
            JsonArray page = http.get("/results/nike?offset=" + offset + "&limit=10").array();
            assertEquals(Math.min(10, 27 - offset), page.size(), "page at " + offset);
            page.forEach(r -> paged.add(((JsonObject) r).getString("url")));
        }
        assertEquals(http.get("/results/nike").array().stream().map(r -> ((JsonObject) r).getString("url")).toList(),
                paged);
        assertEquals(0, http.get("/results/nike?offset=27&limit=10").array().size());
        assertEquals(17, http.get("/results/nike?offset=10").array().size(), "an offset alone reads to the end");

        TestHttp.Answer committed = http.post("/commit-complete", "{ \"brand\": \"nike\" }");
        assertEquals(200, committed.status());
        assertEquals(404, http.get("/results/nike").status());
        assertEquals("unknown_brand", http.get("/status/nike").error());
    }

    @Test
    void resultsComeBackAsSentWithNestedAndOddFields() {
        http.post("/start", new JsonObject().put("brand", "acme").put("expected_count", 2));
        JsonObject result = new JsonObject().put("url", "https://x/ü \"q\".png")
                .put("meta", new JsonObject().put("title", "Nïke <b>").put("tags", new JsonArray().add(1).add(true).addNull()))
                .put("price", 19.99).put("none", (Object) null);
        assertEquals(200, http.post("/submit", new JsonObject().put("brand", "acme").put("result", result)).status());
        http.post("/submit", new JsonObject().put("brand", "acme").put("result", new JsonObject().put("url", "u2")));
        JsonArray back = http.get("/results/acme").array();
        assertEquals(result, back.getJsonObject(0), "a result without an embedding is returned exactly as sent");
        assertEquals(new JsonObject().put("url", "u2"), back.getJsonObject(1));
    }

    @Test
    void brandKeysWithSlashesSpacesAndUnicodeWorkUrlEncoded() {
        String brand = "client-7/scan 2026-11-22#1 ünïcode";
        assertEquals(200, http.post("/start", new JsonObject().put("brand", brand).put("expected_count", 1)).status());
        http.post("/submit", new JsonObject().put("brand", brand).put("result", new JsonObject().put("url", "u1")));
        String encoded = java.net.URLEncoder.encode(brand, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        assertEquals(1, http.get("/results/" + encoded).array().size());
        JsonObject status = http.get("/status/" + encoded).json();
        assertEquals(brand, status.getString("brand"));
        assertEquals("leased", status.getString("commit_state"));
    }

    @Test
    void anExpiredLeaseIsClaimedByAnotherWorkerAndTheLoserGets409() {
        http.post("/start", new JsonObject().put("brand", "nike").put("expected_count", 1));
        String first = http.post("/submit", submit("nike", "u1")).json().getString("lease");
        JsonObject early = http.post("/claim-commit", new JsonObject().put("brand", "nike")).json();
        assertFalse(early.getBoolean("should_commit"));

        clock.advanceMillis(30_000);
        JsonObject status = http.get("/status/nike").json();
        assertEquals("available", status.getString("commit_state"));
        JsonObject takeover = http.post("/claim-commit", new JsonObject().put("brand", "nike")).json();
        assertTrue(takeover.getBoolean("should_commit"));
        String second = takeover.getString("lease");

        TestHttp.Answer loser = http.post("/commit-complete", new JsonObject().put("brand", "nike").put("lease", first));
        assertEquals(409, loser.status());
        assertEquals("lease_lost", loser.error());
        assertEquals(200, http.get("/status/nike").status(), "the loser's report removed nothing");
        assertEquals(200, http.post("/commit-complete", new JsonObject().put("brand", "nike").put("lease", second)).status());
        assertEquals(404, http.get("/status/nike").status());
    }

    @Test
    void aReleasedLeaseIsClaimedAtOnceAndOnlyTheLiveLeaseCanBeReleased() {
        http.post("/start", new JsonObject().put("brand", "nike").put("expected_count", 1));
        String first = http.post("/submit", submit("nike", "u1")).json().getString("lease");

        TestHttp.Answer wrong = http.post("/release-lease", new JsonObject().put("brand", "nike").put("lease", "other"));
        assertEquals(409, wrong.status());
        assertEquals("lease_lost", wrong.error());
        assertEquals("leased", http.get("/status/nike").json().getString("commit_state"));

        TestHttp.Answer released = http.post("/release-lease", new JsonObject().put("brand", "nike").put("lease", first));
        assertEquals(200, released.status(), released.body().toString());
        assertTrue(released.contentType().startsWith("application/json"));
        assertEquals(new JsonObject().put("brand", "nike").put("released", true).put("commit_state", "available"),
                released.json());
        assertEquals("available", http.get("/status/nike").json().getString("commit_state"));

        // No clock movement: the claim is granted at once, not after lease_ms.
        JsonObject takeover = http.post("/claim-commit", new JsonObject().put("brand", "nike")).json();
        assertTrue(takeover.getBoolean("should_commit"));
        String second = takeover.getString("lease");
        assertNotEquals(first, second);
        assertEquals(409, http.post("/release-lease", new JsonObject().put("brand", "nike").put("lease", first)).status(),
                "the first holder cannot release the new lease");
        assertEquals(200, http.post("/commit-complete", new JsonObject().put("brand", "nike").put("lease", second)).status());
        TestHttp.Answer gone = http.post("/release-lease", new JsonObject().put("brand", "nike").put("lease", second));
        assertEquals(404, gone.status());
        assertEquals("unknown_brand", gone.error());
        String metrics = http.get("/metrics").body().toString();
        assertTrue(metrics.contains("brandscan_registry_leases_released_total 1.0"), metrics);
    }

    @Test
    void failuresAreListedAndCountTowardCompletion() {
        http.post("/start", new JsonObject().put("brand", "nike").put("expected_count", 2));
        http.post("/submit", submit("nike", "u1"));
        JsonObject failed = http.post("/fail", new JsonObject().put("brand", "nike").put("url", "u2")
                .put("error", "timeout after 10s")).json();
        assertTrue(failed.getBoolean("should_commit"));
        assertEquals(1, failed.getInteger("failed"));
        assertEquals(new JsonArray().add(new JsonObject().put("url", "u2").put("error", "timeout after 10s")),
                http.get("/failures/nike").array());
        assertEquals(1, http.get("/results/nike").array().size());
    }

    @Test
    void operatorsSeeBrandsHealthAndMetrics() {
        for (String brand : List.of("b", "a", "c")) {
            http.post("/start", new JsonObject().put("brand", brand).put("expected_count", 3));
        }
        http.post("/submit", submit("a", "u1"));
        JsonObject page = http.get("/brands?limit=2").json();
        assertEquals(List.of("a", "b"), page.getJsonArray("batches").stream()
                .map(o -> ((JsonObject) o).getString("brand")).toList());
        assertEquals("b", page.getString("next_after"));
        assertEquals(List.of("c"), http.get("/brands?after=b").json().getJsonArray("batches").stream()
                .map(o -> ((JsonObject) o).getString("brand")).toList());
        assertEquals(400, http.get("/brands?limit=0").status());

        JsonObject health = http.get("/health").json();
        assertEquals("UP", health.getString("status"));
        assertEquals(3, health.getInteger("batches"));
        assertEquals(1, health.getInteger("results"));

        TestHttp.Answer metrics = http.get("/metrics");
        assertEquals(200, metrics.status());
        String text = metrics.body().toString();
        assertTrue(text.contains("brandscan_registry_batches 3.0"), text);
        assertTrue(text.contains("brandscan_registry_results 1.0"), text);
    }

    @Test
    void progressAndLifecycleEventsArePublished() throws Exception {
        List<JsonObject> events = new CopyOnWriteArrayList<>();
        vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_PROGRESS, m -> events.add(m.body())).completion().await();
        http.post("/start", new JsonObject().put("brand", "nike").put("expected_count", 2));
        http.post("/submit", submit("nike", "u1"));
        waitFor(() -> events.stream().anyMatch(e -> "progress".equals(e.getString("type"))));
        http.post("/submit", submit("nike", "u2"));
        http.post("/commit-complete", new JsonObject().put("brand", "nike"));
        waitFor(() -> events.stream().anyMatch(e -> "committed".equals(e.getString("type"))));
        List<String> types = new ArrayList<>(events.stream().map(e -> e.getString("type")).toList());
        assertEquals(List.of("started", "progress", "commit_granted", "committed"), types);
        JsonObject progress = events.get(1);
        assertEquals("nike", progress.getString("brand"));
        assertEquals(1, progress.getInteger("completed"));
        assertEquals(2, progress.getInteger("expected"));
    }

    @Test
    void aReleaseIsPublishedAsItsOwnEventNotAsAnExpiry() throws Exception {
        List<JsonObject> events = new CopyOnWriteArrayList<>();
        vertx.eventBus().<JsonObject>consumer(Addresses.REGISTRY_PROGRESS, m -> events.add(m.body())).completion().await();
        http.post("/start", new JsonObject().put("brand", "nike").put("expected_count", 1));
        String lease = http.post("/submit", submit("nike", "u1")).json().getString("lease");
        http.post("/release-lease", new JsonObject().put("brand", "nike").put("lease", lease));
        waitFor(() -> events.stream().anyMatch(e -> "lease_released".equals(e.getString("type"))));
        Thread.sleep(1_200); // past a registry sweep, which must not report the release as an expiry
        List<String> types = events.stream().map(e -> e.getString("type")).toList();
        assertEquals(List.of("started", "commit_granted", "lease_released"), types);
        assertEquals("available", events.get(2).getString("commit_state"));
    }

    static String submit(String brand, String url) {
        return new JsonObject().put("brand", brand).put("result", new JsonObject().put("url", url)
                .put("embedding", new JsonArray().add(0.25).add(-0.75)).put("s3_path", "s3://b/" + url.hashCode())).encode();
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
