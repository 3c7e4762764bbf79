package io.brandscan.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.brandscan.api.ApiFixture.ADMIN;
import static io.brandscan.api.ApiFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Credentials, roles, validation and error shapes against the real API over real HTTP. */
class ApiAuthTest {
    private static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("api_auth_test", null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void theContractIsServedAndUnknownRoutesAndMethodsAnswerJsonErrors() {
        ApiHttp.Answer doc = api.http.get("/api/v1/openapi.json", null);
        assertEquals(200, doc.status());
        assertTrue(doc.json().getJsonObject("paths").containsKey("/api/v1/brands/{brand_id}"));

        ApiHttp.Answer missing = api.http.get("/api/v1/no-such-thing", ADMIN);
        assertEquals(404, missing.status());
        assertEquals("not_found", missing.error());
        assertNotNull(missing.json().getString("message"));

        ApiHttp.Answer wrongMethod = api.http.send(HttpMethod.PATCH, "/api/v1/scans", ADMIN, null, null);
        assertEquals(405, wrongMethod.status());
        assertEquals("method_not_allowed", wrongMethod.error());
    }

    @Test
    void withoutOrWithABadCredentialEveryClientCallIs401() {
        assertEquals(401, api.http.get("/api/v1/brands", null).status());
        assertEquals("unauthorized", api.http.get("/api/v1/brands", null).error());
        assertEquals("no-store", api.http.get("/api/v1/brands", null).headers().get("Cache-Control"));
        assertEquals(401, api.http.get("/api/v1/brands", "not-a-token").status());
        assertEquals(401, api.http.get("/api/v1/brands", "bsk_0123456789abcdef_" + "A".repeat(43)).status());
        assertEquals(401, api.http.get("/api/v1/brands", ADMIN + "x").status());
        assertEquals(401, api.http.post("/api/v1/clients", "wrong", new JsonObject().put("name", "x")).status());
    }

    @Test
    void onlyThePlatformAdminCreatesClientsAndTheKeyIsStoredOnlyAsAHash() throws Exception {
        JsonObject client = api.newClient("Acme");
        String key = client.getString("api_key");
        assertTrue(key.startsWith("bsk_"), key);
        ApiKey parsed = ApiKey.parse(key).orElseThrow();

        JsonObject stored = await(api.mongo.findOne("api_keys", new JsonObject().put("_id", parsed.keyId()), null));
        assertEquals(client.getString("id"), stored.getString("client_id"));
        assertEquals(ApiKey.sha256Hex(parsed.secret()), stored.getString("secret_sha256"));
        assertFalse(stored.encode().contains(parsed.secret()), "the secret itself is never stored");

        // A client admin is not a platform admin.
        assertEquals(403, api.http.post("/api/v1/clients", key, new JsonObject().put("name", "Other")).status());
        // The platform admin has no client, so it cannot act inside one.
        assertEquals(403, api.http.get("/api/v1/brands", ADMIN).status());
        // The key works, and listing keys never shows a secret or hash.
        ApiHttp.Answer keys = api.http.get("/api/v1/api-keys", key);
        assertEquals(200, keys.status(), keys.toString());
        assertEquals(1, keys.items().size());
        assertFalse(keys.body().toString().contains("secret_sha256"));
    }

    @Test
    void aRevokedKeyFailsOnTheVeryNextRequestAndRotationRetiresTheOldSecret() {
        String admin = api.newClient("Revokers").getString("api_key");
        String analyst = api.newKey(admin, "analyst");
        assertEquals(200, api.http.get("/api/v1/scans", analyst).status());
        String id = ApiKey.parse(analyst).orElseThrow().keyId();

        assertEquals(204, api.http.delete("/api/v1/api-keys/" + id, admin).status());
        ApiHttp.Answer after = api.http.get("/api/v1/scans", analyst);
        assertEquals(401, after.status());
        assertEquals(404, api.http.delete("/api/v1/api-keys/" + id, admin).status(), "already revoked");
        assertEquals(404, api.http.post("/api/v1/api-keys/" + id + "/rotate", admin, null).status(), "revoked keys do not rotate");

        String viewer = api.newKey(admin, "viewer");
        String viewerId = ApiKey.parse(viewer).orElseThrow().keyId();
        ApiHttp.Answer rotated = api.http.post("/api/v1/api-keys/" + viewerId + "/rotate", admin, null);
        assertEquals(200, rotated.status(), rotated.toString());
        String fresh = rotated.json().getString("api_key");
        assertEquals(viewerId, ApiKey.parse(fresh).orElseThrow().keyId());
        assertEquals(401, api.http.get("/api/v1/scans", viewer).status(), "the old secret is dead");
        assertEquals(200, api.http.get("/api/v1/scans", fresh).status());
    }

    @Test
    void usersLogInForAShortLivedTokenThatExpiresByTheClock() throws Exception {
        JsonObject client = api.newClient("Logins");
        String admin = client.getString("api_key");
        ApiHttp.Answer created = api.http.post("/api/v1/users", admin, new JsonObject().put("email", "Ana@Example.com")
                .put("password", "correct horse battery").put("role", "viewer"));
        assertEquals(201, created.status(), created.toString());
        assertNull(created.json().getValue("password_hash"));
        JsonObject stored = await(api.mongo.findOne("users", new JsonObject().put("_id", created.json().getString("id")), null));
        assertTrue(stored.getString("password_hash").startsWith("pbkdf2_sha256$210000$"), stored.getString("password_hash"));
        assertFalse(stored.encode().contains("correct horse"));
        assertEquals(409, api.http.post("/api/v1/users", admin, new JsonObject().put("email", "ana@example.com")
                .put("password", "another long password").put("role", "analyst")).status(), "emails are unique per client");

        assertEquals(401, api.http.post("/api/v1/auth/login", null, new JsonObject().put("email", "ana@example.com")
                .put("password", "wrong horse battery")).status());
        assertEquals(401, api.http.post("/api/v1/auth/login", null, new JsonObject().put("email", "nobody@example.com")
                .put("password", "correct horse battery")).status());
        ApiHttp.Answer login = api.http.post("/api/v1/auth/login", null, new JsonObject()
                .put("client_id", client.getString("id")).put("email", "ana@example.com").put("password", "correct horse battery"));
        assertEquals(200, login.status(), login.toString());
        assertEquals("viewer", login.json().getString("role"));
        String token = login.json().getString("token");

        assertEquals(200, api.http.get("/api/v1/brands", token).status());
        ApiHttp.Answer forbidden = api.http.put("/api/v1/brands/shoes", token, ApiFixture.brand("Shoe", "https://feed.example/x"));
        assertEquals(403, forbidden.status(), "a viewer may not write");
        assertEquals("forbidden", forbidden.error());

        api.clock.advance(Duration.ofSeconds(899));
        assertEquals(200, api.http.get("/api/v1/brands", token).status());
        api.clock.advance(Duration.ofSeconds(2));
        ApiHttp.Answer expired = api.http.get("/api/v1/brands", token);
        assertEquals(401, expired.status());
        assertTrue(expired.json().getString("message").contains("expired"), expired.toString());

        // A forged token (signature of another key) is refused.
        String[] parts = token.split("\\.");
        assertEquals(401, api.http.get("/api/v1/brands", parts[0] + "." + parts[1] + ".AAAA").status());

        // Deleting the user kills its tokens at once.
        ApiHttp.Answer again = api.http.post("/api/v1/auth/login", null, new JsonObject()
                .put("email", "ana@example.com").put("password", "correct horse battery"));
        assertEquals(200, again.status());
        String second = again.json().getString("token");
        assertEquals(204, api.http.delete("/api/v1/users/" + created.json().getString("id"), admin).status());
        assertEquals(401, api.http.get("/api/v1/brands", second).status());
    }

    @Test
    void tenWrongPasswordsInARowLockTheUserOutForAWhile() {
        JsonObject client = api.newClient("Lockouts");
        String admin = client.getString("api_key");
        assertEquals(201, api.http.post("/api/v1/users", admin, new JsonObject().put("email", "lee@lock.example")
                .put("password", "the right long password").put("role", "analyst")).status());
        JsonObject wrong = new JsonObject().put("client_id", client.getString("id")).put("email", "lee@lock.example")
                .put("password", "a wrong guess");
        JsonObject right = wrong.copy().put("password", "the right long password");
        for (int i = 0; i < 9; i++) {
            assertEquals(401, api.http.post("/api/v1/auth/login", null, wrong).status());
        }
        assertEquals(200, api.http.post("/api/v1/auth/login", null, right).status(), "a success resets the count");
        for (int i = 0; i < 10; i++) {
            assertEquals(401, api.http.post("/api/v1/auth/login", null, wrong).status());
        }
        ApiHttp.Answer locked = api.http.post("/api/v1/auth/login", null, right);
        assertEquals(429, locked.status(), "locked even with the right password: " + locked);
        assertEquals("login_attempts", locked.json().getString("limit"));
        assertEquals("900", locked.headers().get("Retry-After"));
        api.clock.advance(Duration.ofSeconds(901));
        assertEquals(200, api.http.post("/api/v1/auth/login", null, right).status());
    }

    @Test
    void validationErrorsNameTheField() {
        String admin = api.newClient("Validators").getString("api_key");
        JsonObject good = ApiFixture.brand("Acme", "https://feed.example/listings");

        ApiHttp.Answer noName = api.http.put("/api/v1/brands/b1", admin, good.copy().put("name", (String) null));
        assertEquals(400, noName.status(), noName.toString());
        assertEquals("name", noName.field(), noName.toString());

        ApiHttp.Answer unknown = api.http.put("/api/v1/brands/b1", admin, good.copy().put("colour", "red"));
        assertEquals(400, unknown.status(), unknown.toString());
        assertEquals("colour", unknown.field(), unknown.toString());

        ApiHttp.Answer badWeight = api.http.put("/api/v1/brands/b1", admin, good.copy()
                .put("weights", new JsonObject().put("image", 7)));
        assertEquals(400, badWeight.status(), badWeight.toString());
        assertEquals("weights.image", badWeight.field());

        ApiHttp.Answer misspeltThreshold = api.http.put("/api/v1/brands/b1", admin, good.copy()
                .put("thresholds", new JsonObject().put("infringment", 0.4)));
        assertEquals(400, misspeltThreshold.status());
        assertEquals("thresholds.infringment", misspeltThreshold.field());

        ApiHttp.Answer noUrl = api.http.put("/api/v1/brands/b1", admin, good.copy()
                .put("provider", new JsonObject().put("type", "json-feed")));
        assertEquals(400, noUrl.status());
        assertEquals("provider.url", noUrl.field(), noUrl.toString());

        ApiHttp.Answer fileReference = api.http.put("/api/v1/brands/b1", admin, good.copy()
                .put("reference_images", new io.vertx.core.json.JsonArray().add("/etc/passwd")));
        assertEquals(400, fileReference.status());
        assertEquals("reference_images[0]", fileReference.field());

        ApiHttp.Answer badProvider = api.http.put("/api/v1/brands/b1", admin, good.copy()
                .put("provider", new JsonObject().put("type", "ftp")));
        assertEquals(400, badProvider.status());
        assertEquals("provider.type", badProvider.field(), badProvider.toString());

        ApiHttp.Answer badId = api.http.put("/api/v1/brands/bad%20id", admin, good);
        assertEquals(400, badId.status());
        assertEquals("brand_id", badId.field(), badId.toString());

        ApiHttp.Answer hugePage = api.http.get("/api/v1/brands?page_size=1000", admin);
        assertEquals(400, hugePage.status());
        assertEquals("page_size", hugePage.field(), hugePage.toString());

        ApiHttp.Answer notJson = api.http.send(HttpMethod.PUT, "/api/v1/brands/b1", admin, Buffer.buffer("{nope"), "application/json");
        assertEquals(400, notJson.status(), notJson.toString());

        ApiHttp.Answer fine = api.http.put("/api/v1/brands/b1", admin, good);
        assertEquals(201, fine.status(), fine.toString());
        assertEquals(200, api.http.put("/api/v1/brands/b1", admin, good).status(), "a second PUT replaces");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String admin = api.newClient("Big bodies").getString("api_key");
        JsonObject big = ApiFixture.brand("Acme", "https://feed.example/listings").put("description", "x".repeat(9000));
        ApiHttp.Answer answer = api.http.put("/api/v1/brands/big", admin, big);
        assertEquals(413, answer.status());
        assertEquals("payload_too_large", answer.error());
    }

    @Test
    void aRefusedAdmissionIs429WithRetryAfterAndTheLimitNamed() {
        JsonObject limited = api.newClient("Limited");
        String limitedKey = limited.getString("api_key");
        String freeKey = api.newClient("Free").getString("api_key");
        assertEquals(201, api.http.put("/api/v1/brands/b", limitedKey, ApiFixture.brand("Acme", "https://feed.example/x")).status());
        assertEquals(201, api.http.put("/api/v1/brands/b", freeKey, ApiFixture.brand("Acme", "https://feed.example/x")).status());
        String limitedId = limited.getString("id");
        api.admission.set((clientId, scanId) -> io.vertx.core.Future.succeededFuture(clientId.equals(limitedId)
                ? Admission.refused("concurrent_scans", "at most 2 scans at once", Duration.ofMillis(1500))
                : Admission.admitted()));
        try {
            ApiHttp.Answer refused = api.http.post("/api/v1/scans", limitedKey, new JsonObject().put("brand_id", "b"));
            assertEquals(429, refused.status(), refused.toString());
            assertEquals("limit_exceeded", refused.error());
            assertEquals("concurrent_scans", refused.json().getString("limit"));
            assertEquals("2", refused.headers().get("Retry-After"));
            ApiHttp.Answer other = api.http.post("/api/v1/scans", freeKey, new JsonObject().put("brand_id", "b"));
            assertEquals(202, other.status(), other.toString());
            assertEquals(0, api.http.get("/api/v1/scans", limitedKey).items().size(), "a refused start stores no scan");
        } finally {
            api.admission.set(ScanAdmission.ADMIT_ALL);
        }
    }
}
