package io.brandscan.api;

import io.brandscan.limits.ClientLimiter;
import io.brandscan.limits.LimitsSettings;
import io.brandscan.schedule.SchedulerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API with its real admission: per-client limits counted in MongoDB by {@link ClientLimiter}
 * (a client over its limit gets 429 naming the limit while another is unaffected), and brand
 * schedules validated at PUT and fired by a {@link SchedulerVerticle} through
 * {@link ScheduledStarts}, under the fixture's settable clock.
 */
class ApiLimitsAndSchedulesTest {
    private static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("api-limits", new JsonObject());
        ClientLimiter limiter = new ClientLimiter(api.vertx, api.mongo, LimitsSettings.fromJson(new JsonObject()
                .put("concurrent_scans", 2).put("scans_per_day", 3)), api.clock);
        api.admission.set(new LimitsAdmission(limiter));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void aClientOverItsLimitsGets429NamingTheLimitAndAnotherIsUnaffected() throws Exception {
        String busy = api.newClient("Busy").getString("api_key");
        String calm = api.newClient("Calm").getString("api_key");
        for (String key : List.of(busy, calm)) {
            assertEquals(201, api.http.put("/api/v1/brands/b", key, ApiFixture.brand("Acme", "https://feed.example/x")).status());
        }
        assertEquals(202, api.http.post("/api/v1/scans", busy, new JsonObject().put("brand_id", "b")).status());
        assertEquals(202, api.http.post("/api/v1/scans", busy, new JsonObject().put("brand_id", "b")).status());
        ApiHttp.Answer third = api.http.post("/api/v1/scans", busy, new JsonObject().put("brand_id", "b"));
        assertEquals(429, third.status(), third.toString());
        assertEquals("concurrent_scans", third.json().getString("limit"));
        assertTrue(Integer.parseInt(third.headers().get("Retry-After")) >= 1);
        assertEquals(2, api.http.get("/api/v1/scans", busy).items().size(), "a refused start stores no scan");
        assertEquals(202, api.http.post("/api/v1/scans", calm, new JsonObject().put("brand_id", "b")).status(),
                "another client is unaffected");

        // Cancelling frees a slot at once; the day's third scan is admitted, the fourth is not.
        String first = active(busy);
        assertEquals(200, api.http.post("/api/v1/scans/" + first + "/cancel", busy, new JsonObject()).status());
        assertEquals(202, api.http.post("/api/v1/scans", busy, new JsonObject().put("brand_id", "b")).status());
        String second = active(busy);
        assertEquals(200, api.http.post("/api/v1/scans/" + second + "/cancel", busy, new JsonObject()).status());
        ApiHttp.Answer fourth = api.http.post("/api/v1/scans", busy, new JsonObject().put("brand_id", "b"));
        assertEquals(429, fourth.status(), fourth.toString());
        assertEquals("scans_per_day", fourth.json().getString("limit"));
    }

    @Test
    void aBadScheduleIsRefusedNamingTheFieldAndAGoodOneFiresOncePerSlot() throws Exception {
        String key = api.newClient("Scheduled").getString("api_key");
        JsonObject bad = ApiFixture.brand("Acme", "https://feed.example/x")
                .put("schedule", new JsonObject().put("type", "cron").put("expression", "0 25 * * *"));
        ApiHttp.Answer refused = api.http.put("/api/v1/brands/nightly", key, bad);
        assertEquals(400, refused.status(), refused.toString());
        assertTrue(refused.json().getString("field").startsWith("schedule.expression"), refused.toString());

        JsonObject good = ApiFixture.brand("Acme", "https://feed.example/x")
                .put("schedule", new JsonObject().put("type", "daily").put("at", "12:00"));
        assertEquals(201, api.http.put("/api/v1/brands/nightly", key, good).status());

        ScheduledStarts starts = new ScheduledStarts(api.vertx, api.conf, api.admission.get(), api.clock);
        String id = api.vertx.deployVerticle(new SchedulerVerticle(api.clock, starts::start), new DeploymentOptions()
                .setConfig(SchedulerVerticle.configFrom(api.conf.copy().put("schedule",
                        new JsonObject().put("tick_ms", 100))))).await();
        try {
            Thread.sleep(500);
            assertEquals(0, api.http.get("/api/v1/scans", key).items().size(), "10:00: the 12:00 slot is not due");
            api.clock.advance(Duration.ofHours(2).plusMinutes(1));
            JsonArray scans = waitForScans(key, 1);
            assertEquals(1, scans.size());
            assertEquals("nightly", scans.getJsonObject(0).getString("brand_id"));
            Thread.sleep(500);
            assertEquals(1, api.http.get("/api/v1/scans", key).items().size(), "the slot fired once");
        } finally {
            api.vertx.undeploy(id).await();
        }
    }

    @Test
    void withoutAnEmbeddingWorkerAnUploadIsStoredWithItsHashesAndTheEmbeddingPending() throws Exception {
        String key = api.newClient("No model here").getString("api_key");
        assertEquals(201, api.http.put("/api/v1/brands/b", key, ApiFixture.brand("Acme", "https://feed.example/x")).status());
        byte[] coffee;
        try (var in = ApiLimitsAndSchedulesTest.class.getResourceAsStream("/images/coffee.png")) {
            coffee = in.readAllBytes();
        }
        ApiHttp.Answer uploaded = api.http.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/brands/b/reference-images",
                key, ApiUploadTest.multipart("image", "coffee.png", "image/png", coffee),
                "multipart/form-data; boundary=" + ApiUploadTest.BOUNDARY);
        assertEquals(201, uploaded.status(), uploaded.toString());
        assertEquals("pending", uploaded.json().getString("embedding"));
        assertTrue(uploaded.json().getString("fingerprint").length() > 10, "hashed at once");
        assertTrue(uploaded.json().getString("s3_path").startsWith("s3://"), "stored in S3");
    }

    /** One of the client's scans that is not cancelled (the fixed clock gives them all one creation time). */
    private static String active(String key) {
        JsonArray items = api.http.get("/api/v1/scans", key).items();
        for (int i = 0; i < items.size(); i++) {
            if (!"cancelled".equals(items.getJsonObject(i).getString("state"))) {
                return items.getJsonObject(i).getString("id");
            }
        }
        throw new AssertionError("no active scan in " + items.encode());
    }

    private static JsonArray waitForScans(String key, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonArray items = new JsonArray();
        while (System.nanoTime() < deadline) {
            items = api.http.get("/api/v1/scans", key).items();
            if (items.size() >= n) {
                return items;
            }
            Thread.sleep(100);
        }
        return items;
    }
}
