package io.brandscan.api;

import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.storage.ContentKey;
import io.brandscan.storage.ObjectStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.brandscan.api.ApiFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference image uploads against real S3 (s3proxy), MongoDB and the real embedding model. */
class ApiUploadTest {
    private static final Path IMAGES = Path.of("src/test/resources/images");
    static final String BOUNDARY = "----brandscan-test-boundary";
    private static ApiFixture api;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("api_upload_test", new JsonObject().put("max_reference_images", 2));
        await(api.vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));
        key = api.newClient("Uploaders").getString("api_key");
        assertEquals(201, api.http.put("/api/v1/brands/rocket", key, ApiFixture.brand("Rocket", "https://feed.example/r")).status());
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    static Buffer multipart(String field, String filename, String type, byte[] bytes) {
        Buffer body = Buffer.buffer();
        body.appendString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n", "UTF-8");
        body.appendBytes(bytes);
        body.appendString("\r\n--" + BOUNDARY + "--\r\n", "UTF-8");
        return body;
    }

    private static ApiHttp.Answer upload(String brand, Buffer body) {
        return api.http.send(HttpMethod.POST, "/api/v1/brands/" + brand + "/reference-images", key, body,
                "multipart/form-data; boundary=" + BOUNDARY);
    }

    @Test
    void anUploadedImageIsStoredInS3EmbeddedAndHashedOnce() throws Exception {
        byte[] rocket = Files.readAllBytes(IMAGES.resolve("rocket.jpg"));
        ApiHttp.Answer first = upload("rocket", multipart("image", "rocket.jpg", "image/jpeg", rocket));
        assertEquals(201, first.status(), first.toString());
        String sha = ContentKey.sha256(rocket);
        assertEquals(sha, first.json().getString("id"));
        assertEquals(1280, first.json().getInteger("embedding_dimensions"));
        assertTrue(first.json().getInteger("views") >= 1);

        JsonObject doc = await(api.mongo.findOne("reference_images", new JsonObject().put("_id",
                clientId() + "/rocket/" + sha), null));
        assertNotNull(doc, "the signature is stored");
        assertEquals(1280, doc.getJsonArray("embedding").size());
        assertEquals(first.json().getInteger("views"), doc.getJsonArray("view_embeddings").size());
        assertEquals(first.json().getString("fingerprint"), doc.getString("fingerprint"));
        assertTrue(doc.getString("created_by").startsWith("key:"));

        ObjectStore objects = await(ObjectStore.open(api.vertx, api.conf.getJsonObject("s3")));
        String s3Key = doc.getString("s3_path").substring(("s3://" + objects.bucket() + "/").length());
        assertArrayEquals(rocket, await(objects.get(s3Key)).getBytes(), "the bytes are in S3 under their hash");
        objects.close();

        JsonArray refs = api.http.get("/api/v1/brands/rocket", key).json().getJsonArray("reference_uploads");
        assertEquals(1, refs.size());
        assertEquals(sha, refs.getJsonObject(0).getString("id"));

        ApiHttp.Answer bytes = api.http.get("/api/v1/brands/rocket/reference-images/" + sha, key);
        assertEquals(200, bytes.status());
        assertEquals("image/jpeg", bytes.headers().get("content-type"));
        assertArrayEquals(rocket, bytes.body().getBytes());
        assertEquals(400, api.http.get("/api/v1/brands/rocket/reference-images/not-a-hash", key).status());

        ApiHttp.Answer again = upload("rocket", multipart("image", "copy.jpg", "image/jpeg", rocket));
        assertEquals(200, again.status(), "the same image again is the same reference");
        assertEquals(1, api.http.get("/api/v1/brands/rocket", key).json().getJsonArray("reference_uploads").size());

        // A PUT of the brand keeps the uploads: they are not PUT's fields.
        assertEquals(200, api.http.put("/api/v1/brands/rocket", key, ApiFixture.brand("Rocket", "https://feed.example/r2")).status());
        assertEquals(1, api.http.get("/api/v1/brands/rocket", key).json().getJsonArray("reference_uploads").size());

        byte[] coffee = Files.readAllBytes(IMAGES.resolve("coffee.png"));
        assertEquals(201, upload("rocket", multipart("image", "coffee.png", "image/png", coffee)).status());
        byte[] camera = Files.readAllBytes(IMAGES.resolve("camera.png"));
        ApiHttp.Answer third = upload("rocket", multipart("image", "camera.png", "image/png", camera));
        assertEquals(409, third.status(), "max_reference_images is 2 here: " + third);
        ApiHttp.Answer withUrl = api.http.put("/api/v1/brands/rocket", key, ApiFixture.brand("Rocket", "https://feed.example/r")
                .put("reference_images", new JsonArray().add("https://img.example/a.jpg")));
        assertEquals(400, withUrl.status(), "URLs and uploads count together: " + withUrl);
        assertEquals("reference_images", withUrl.field());

        String coffeeSha = ContentKey.sha256(coffee);
        assertEquals(204, api.http.delete("/api/v1/brands/rocket/reference-images/" + coffeeSha, key).status());
        assertEquals(404, api.http.get("/api/v1/brands/rocket/reference-images/" + coffeeSha, key).status());
        assertEquals(404, api.http.delete("/api/v1/brands/rocket/reference-images/" + coffeeSha, key).status());
        assertEquals(1, api.http.get("/api/v1/brands/rocket", key).json().getJsonArray("reference_uploads").size());
        assertEquals(201, upload("rocket", multipart("image", "coffee.png", "image/png", coffee)).status(),
                "room again for a second reference");

        // Deleting the brand deletes its signatures too.
        assertEquals(2L, await(api.mongo.count("reference_images", new JsonObject().put("brand_id", "rocket"))));
        assertEquals(204, api.http.delete("/api/v1/brands/rocket", key).status());
        assertEquals(0L, await(api.mongo.count("reference_images", new JsonObject().put("brand_id", "rocket"))));
        assertEquals(404, api.http.get("/api/v1/brands/rocket", key).status());
    }

    @Test
    void bytesThatAreNotAnImageAre415() {
        assertEquals(201, api.http.put("/api/v1/brands/texts", key, ApiFixture.brand("Texts", "https://feed.example/t")).status());
        ApiHttp.Answer text = upload("texts", multipart("image", "notes.jpg", "image/jpeg",
                "this is not a picture at all".getBytes(StandardCharsets.UTF_8)));
        assertEquals(415, text.status(), text.toString());
        assertEquals("unsupported_media_type", text.error());

        ApiHttp.Answer json = api.http.post("/api/v1/brands/texts/reference-images", key, new JsonObject().put("image", "x"));
        assertEquals(415, json.status(), json.toString());

        ApiHttp.Answer none = api.http.send(HttpMethod.POST, "/api/v1/brands/texts/reference-images", key,
                Buffer.buffer("--" + BOUNDARY + "--\r\n"), "multipart/form-data; boundary=" + BOUNDARY);
        assertEquals(400, none.status(), none.toString());
        assertEquals("image", none.field());
    }

    @Test
    void anUploadOverTheLimitIs413() {
        assertEquals(201, api.http.put("/api/v1/brands/big", key, ApiFixture.brand("Big", "https://feed.example/b")).status());
        byte[] big = new byte[2_100_000];
        ApiHttp.Answer answer = upload("big", multipart("image", "big.jpg", "image/jpeg", big));
        assertEquals(413, answer.status(), answer.toString());
        assertEquals("payload_too_large", answer.error());
        assertEquals(404, upload("no-such-brand", multipart("image", "x.jpg", "image/jpeg", new byte[10])).status());
    }

    private static String clientId() {
        return api.http.get("/api/v1/brands/rocket", key).json().getString("client_id");
    }
}
