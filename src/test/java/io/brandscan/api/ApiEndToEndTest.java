package io.brandscan.api;

import io.brandscan.launcher.RegistryGroup;
import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.pipeline.acquire.AcquireVerticle;
import io.brandscan.pipeline.ai.AiVerticle;
import io.brandscan.pipeline.gather.GatherVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.brandscan.api.ApiFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole product through the API alone: a platform admin creates a client; the client's
 * admin stores a brand whose provider is a json-feed on a loopback server (allowed by
 * {@code gather.allow} and {@code download.allow}); a scan started with {@code POST /scans} runs
 * through the real gather, acquire (registry, S3) and AI (ONNX model, MiniLM) verticles deployed
 * in this process; the client polls it to completion, reviews the top finding and exports CSV.
 */
class ApiEndToEndTest {
    private static final Path IMAGES = Path.of("src/test/resources/images");
    private static ApiFixture api;
    private static HttpServer market;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("api_e2e_test", null);
        Vertx vertx = api.vertx;
        market = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(req -> {
                    String path = req.path();
                    if (path.equals("/feed")) {
                        req.response().putHeader("content-type", "application/json").end(feed(req.localAddress().port()).encode());
                    } else if (path.startsWith("/img/") && !path.contains("..")) {
                        try {
                            String name = path.substring(5);
                            byte[] bytes = Files.readAllBytes(IMAGES.resolve(name));
                            req.response().putHeader("content-type", name.endsWith(".jpg") ? "image/jpeg" : "image/png")
                                    .end(Buffer.buffer(bytes));
                        } catch (Exception e) {
                            req.response().setStatusCode(404).end();
                        }
                    } else {
                        req.response().setStatusCode(404).end();
                    }
                }).listen().await();
        String allow = "127.0.0.1:" + market.actualPort();

        int registryPort = await(RegistryGroup.start(vertx, new JsonObject().put("port", 0).put("host", "127.0.0.1"), 1));
        await(vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));

        JsonObject workers = new JsonObject()
                .put("sqs", api.conf.getJsonObject("sqs").copy())
                .put("s3", api.conf.getJsonObject("s3").copy())
                .put("mongo", api.conf.getJsonObject("mongo").copy().put("pool_name", "e2e-workers"))
                .put("store", new JsonObject())
                .put("registry_client", new JsonObject().put("port", registryPort))
                .put("download", new JsonObject().put("allow", new JsonArray().add(allow)).put("timeout_ms", 5000))
                .put("gather", new JsonObject().put("allow", new JsonArray().add(allow))
                        .put("registry_client", new JsonObject().put("port", registryPort)))
                .put("acquire", new JsonObject().put("sweep_interval_ms", 500))
                .put("ai", new JsonObject());
        await(vertx.deployVerticle(new GatherVerticle(Clock.systemUTC()), new DeploymentOptions().setConfig(GatherVerticle.configFrom(workers)
                .put("registry_client", workers.getJsonObject("registry_client")))));
        await(vertx.deployVerticle(new AcquireVerticle(), new DeploymentOptions().setConfig(workers)));
        await(vertx.deployVerticle(new AiVerticle(), new DeploymentOptions().setConfig(AiVerticle.configFrom(workers))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    /** Two copies of the brand's reference photo under look-alike titles, three unrelated listings. */
    private static JsonArray feed(int port) {
        String base = "http://127.0.0.1:" + port + "/img/";
        return new JsonArray()
                .add(listing(1, "Rokket Original launch poster", base + "rocket.jpg", "knockoffs-r-us", 9.5))
                .add(listing(2, "=HYPERLINK(\"http://evil.example\",\"ROCKET\") poster", base + "rocket.jpg", "@copycat", 12.0))
                .add(listing(3, "Garden gravel sample", base + "gravel.png", "stones", 30.0))
                .add(listing(4, "Coffee cup photo print", base + "coffee.png", "cafe", 15.0))
                .add(listing(5, "Brick wall texture", base + "brick.png", "builders", 20.0));
    }

    private static JsonObject listing(int i, String title, String image, String seller, double price) {
        return new JsonObject().put("url", "https://market.example/item/" + i).put("title", title)
                .put("price", price).put("currency", "USD").put("seller", seller).put("image_url", image);
    }

    @Test
    void aClientCreatesABrandScansItReviewsAFindingAndExportsCsv() throws Exception {
        JsonObject client = api.newClient("Rocket Co");
        String key = client.getString("api_key");
        String feedUrl = "http://127.0.0.1:" + market.actualPort() + "/feed";
        JsonObject brand = new JsonObject().put("name", "Rocket")
                .put("names", new JsonArray().add("Rocket"))
                .put("misspellings", new JsonArray().add("Rokket"))
                .put("keywords", new JsonArray().add("poster"))
                .put("reference_images", new JsonArray().add("http://127.0.0.1:" + market.actualPort() + "/img/rocket.jpg"))
                .put("reference_price", 40.0)
                .put("authorized_sellers", new JsonArray().add("rocket-official"))
                .put("provider", new JsonObject().put("type", "json-feed").put("url", feedUrl))
                .put("schedule", new JsonObject().put("type", "manual"));
        ApiHttp.Answer put = api.http.put("/api/v1/brands/rocket", key, brand);
        assertEquals(201, put.status(), put.toString());

        ApiHttp.Answer started = api.http.post("/api/v1/scans", key, new JsonObject().put("brand_id", "rocket"));
        assertEquals(202, started.status(), started.toString());
        String scanId = started.json().getString("id");
        assertEquals("/api/v1/scans/" + scanId, started.headers().get("Location"));

        JsonObject scan = poll(key, scanId);
        assertEquals("complete", scan.getString("state"), scan.encodePrettily());
        assertEquals(5, scan.getJsonObject("counts").getLong("gathered"));
        // The reference given by URL was stored in S3, hashed and embedded once, for every later scan.
        List<JsonObject> kept = await(api.mongo.find("reference_images", new JsonObject()
                .put("client_id", client.getString("id")).put("brand_id", "rocket")));
        assertEquals(1, kept.size(), kept.toString());
        assertTrue(kept.get(0).getString("s3_path", "").startsWith("s3://"), kept.get(0).getString("s3_path"));
        assertEquals(1280, kept.get(0).getJsonArray("embedding").size());
        assertEquals(5, scan.getJsonObject("counts").getLong("scored"));
        assertNotNull(scan.getJsonObject("state_times").getLong("complete"));

        ApiHttp.Answer all = api.http.get("/api/v1/scans/" + scanId + "/findings?page_size=10", key);
        assertEquals(200, all.status(), all.toString());
        assertEquals(5, all.json().getLong("total"));
        JsonArray items = all.items();
        assertEquals(5, items.size());
        double previous = 2;
        for (Object o : items) {
            double score = ((JsonObject) o).getDouble("score");
            assertTrue(score <= previous, "highest score first");
            previous = score;
        }
        JsonObject top = items.getJsonObject(0);
        assertTrue(top.getString("image_url").endsWith("rocket.jpg"), "the copy of the reference photo ranks first: " + top);
        ApiHttp.Answer ascending = api.http.get("/api/v1/scans/" + scanId + "/findings?sort=score&page_size=1", key);
        assertTrue(ascending.items().getJsonObject(0).getDouble("score") <= top.getDouble("score"));

        ApiHttp.Answer detail = api.http.get("/api/v1/findings/" + top.getString("id"), key);
        assertEquals(200, detail.status());
        JsonObject evidence = detail.json().getJsonObject("evidence");
        assertTrue(evidence.getJsonObject("listing_image").getString("url").endsWith("rocket.jpg"));
        assertNotNull(evidence.getJsonObject("score_breakdown").getJsonObject("image"), evidence.encodePrettily());

        ApiHttp.Answer evidenceImage = api.http.get("/api/v1/findings/" + top.getString("id") + "/image", key);
        assertEquals(200, evidenceImage.status(), "the listing image kept in S3 is served as evidence");
        assertEquals("image/jpeg", evidenceImage.headers().get("content-type"));
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(IMAGES.resolve("rocket.jpg")), evidenceImage.body().getBytes()));

        ApiHttp.Answer reviewed = api.http.post("/api/v1/findings/" + top.getString("id") + "/review", key,
                new JsonObject().put("decision", "confirmed").put("note", "copy of our launch photo"));
        assertEquals(200, reviewed.status(), reviewed.toString());
        assertEquals("confirmed", reviewed.json().getString("review_status"));
        JsonArray trail = reviewed.json().getJsonArray("reviews");
        assertEquals(1, trail.size());
        assertEquals("confirmed", trail.getJsonObject(0).getString("decision"));
        assertTrue(trail.getJsonObject(0).getString("by").startsWith("key:"));
        assertNotNull(trail.getJsonObject(0).getLong("at"));
        ApiHttp.Answer confirmed = api.http.get("/api/v1/scans/" + scanId + "/findings?review_status=confirmed", key);
        assertEquals(1, confirmed.items().size());

        // The allowlist decision adds the seller to the brand.
        JsonObject other = items.getJsonObject(items.size() - 1);
        assertEquals(200, api.http.post("/api/v1/findings/" + other.getString("id") + "/review", key,
                new JsonObject().put("decision", "allowlist_seller")).status());
        JsonArray sellers = api.http.get("/api/v1/brands/rocket", key).json().getJsonArray("authorized_sellers");
        assertTrue(sellers.contains(other.getString("seller")), sellers.encode());

        ApiHttp.Answer csv = api.http.get("/api/v1/scans/" + scanId + "/findings/export?format=csv", key);
        assertEquals(200, csv.status());
        assertTrue(csv.headers().get("content-type").startsWith("text/csv"));
        String text = csv.body().toString();
        String[] lines = text.split("\r\n");
        assertEquals(6, lines.length, text);
        assertTrue(lines[0].startsWith("\"finding_id\",\"url\",\"title\""));
        assertTrue(text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"ROCKET\"\") poster\""), text);
        assertTrue(text.contains("\"'@copycat\""), text);
        assertFalse(text.contains(",\"=HYPERLINK"), "no cell starts with a formula");
        assertTrue(lines[1].contains("\"confirmed\""), "highest score first, as reviewed: " + lines[1]);

        ApiHttp.Answer json = api.http.get("/api/v1/scans/" + scanId + "/findings/export?format=json&review_status=confirmed", key);
        assertEquals(200, json.status());
        assertEquals(1, json.json().getJsonArray("findings").size());
        assertEquals("rocket", json.json().getString("brand_id"));

        ApiHttp.Answer cancel = api.http.post("/api/v1/scans/" + scanId + "/cancel", key, null);
        assertEquals(409, cancel.status(), "a complete scan cannot be cancelled");
    }

    @Test
    void aScanIsScoredAgainstAReferenceImageUploadedThroughTheApi() throws Exception {
        String key = api.newClient("Cafe Co").getString("api_key");
        String feedUrl = "http://127.0.0.1:" + market.actualPort() + "/feed";
        JsonObject brand = new JsonObject().put("name", "Basecamp")
                .put("provider", new JsonObject().put("type", "json-feed").put("url", feedUrl));
        assertEquals(201, api.http.put("/api/v1/brands/cafe", key, brand).status());
        byte[] coffee = Files.readAllBytes(IMAGES.resolve("coffee.png"));
        ApiHttp.Answer uploaded = api.http.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/brands/cafe/reference-images",
                key, ApiUploadTest.multipart("image", "coffee.png", "image/png", coffee),
                "multipart/form-data; boundary=" + ApiUploadTest.BOUNDARY);
        assertEquals(201, uploaded.status(), uploaded.toString());
        // As an api process without an embedding worker leaves it: hashes and bytes, no embedding yet.
        String refId = uploaded.json().getString("id");
        List<JsonObject> refs = await(api.mongo.find("reference_images", new JsonObject().put("sha256", refId)));
        assertEquals(1, refs.size());
        await(api.mongo.updateCollection("reference_images", new JsonObject().put("_id", refs.get(0).getString("_id")),
                new JsonObject().put("$unset", new JsonObject().put("embedding", "").put("view_embeddings", ""))));

        String scanId = api.http.post("/api/v1/scans", key, new JsonObject().put("brand_id", "cafe")).json().getString("id");
        JsonObject scan = poll(key, scanId);
        assertEquals("complete", scan.getString("state"), scan.encodePrettily());
        JsonObject top = api.http.get("/api/v1/scans/" + scanId + "/findings?page_size=5", key).items().getJsonObject(0);
        assertTrue(top.getString("image_url").endsWith("coffee.png"), "the listing with the uploaded photo ranks first: "
                + top.encodePrettily());
        assertTrue(top.getJsonObject("breakdown").getJsonObject("image").getDouble("score") > 0.9,
                "matched against the upload, embedded by the AI phase from its bytes in S3: " + top.encodePrettily());
        JsonObject embeddedNow = await(api.mongo.findOne("reference_images", new JsonObject().put("_id",
                refs.get(0).getString("_id")), null));
        assertEquals(1280, embeddedNow.getJsonArray("embedding").size(), "and its embedding is kept for later scans");
    }

    private static JsonObject poll(String key, String scanId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        JsonObject scan = null;
        while (System.nanoTime() < deadline) {
            ApiHttp.Answer answer = api.http.get("/api/v1/scans/" + scanId, key);
            assertEquals(200, answer.status(), answer.toString());
            scan = answer.json();
            String state = scan.getString("state");
            if (state.equals("complete") || state.equals("failed") || state.equals("cancelled")) {
                return scan;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("scan did not finish: " + scan);
    }
}
