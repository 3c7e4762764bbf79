package io.brandscan.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.time.SettableClock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad request gets the right 4xx with a JSON error naming the problem, and none
 * of them changes what the registry had already accepted.
 */
class RegistryBadRequestTest {
    private static final int MAX_BODY = 16 * 1024;

    private Vertx vertx;
    private TestHttp http;

    /** One bad request and what it must get. */
    record Bad(HttpMethod method, String path, String body, int status, String error, String mentions) { }

    private static Bad post(String path, String body, int status, String error, String mentions) {
        return new Bad(HttpMethod.POST, path, body, status, error, mentions);
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        int port = RegistryServer.start(vertx, new JsonObject().put("max_body_bytes", MAX_BODY),
                SettableClock.startingAt("2026-11-22T10:00:00Z"), 1);
        http = new TestHttp(vertx, port);
        http.post("/start", "{\"brand\":\"steady\",\"expected_count\":3}");
        http.post("/submit", RegistryHttpTest.submit("steady", "u1"));
        http.post("/start", "{\"brand\":\"full\",\"expected_count\":1}");
        http.post("/submit", RegistryHttpTest.submit("full", "f1"));
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    @Test
    void badRequestsAreRefusedByNameAndChangeNothing() {
        String deep = "[".repeat(3000) + "]".repeat(3000);
        List<Bad> table = List.of(
                post("/start", "{", 400, "malformed_json", "malformed JSON"),
                post("/start", "[]", 400, "invalid_field", "JSON object"),
                post("/start", "{\"brand\":\"x\"}", 400, "invalid_field", "expected_count"),
                post("/start", "{\"brand\":\"x\",\"expected_count\":0}", 400, "invalid_field", "expected_count"),
                post("/start", "{\"brand\":\"x\",\"expected_count\":-3}", 400, "invalid_field", "expected_count"),
                post("/start", "{\"brand\":\"x\",\"expected_count\":2.5}", 400, "invalid_field", "expected_count"),
                post("/start", "{\"brand\":\"x\",\"expected_count\":\"5\"}", 400, "invalid_field", "expected_count"),
                post("/start", "{\"brand\":\"x\",\"expected_count\":99999999999}", 400, "invalid_field", "expected_count"),
                post("/start", "{\"brand\":\"\",\"expected_count\":5}", 400, "invalid_field", "brand"),
                post("/start", "{\"brand\":7,\"expected_count\":5}", 400, "invalid_field", "brand"),
                post("/start", "{\"brand\":\"steady\",\"expected_count\":4}", 409, "expected_count_conflict", "steady"),
                post("/submit", "", 400, "malformed_json", "empty"),
                post("/submit", "{\"brand\":\"steady\"}", 400, "invalid_field", "result"),
                post("/submit", "{\"result\":{\"url\":\"u9\"}}", 400, "invalid_field", "brand"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{}}", 400, "invalid_field", "result.url"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":5}}", 400, "invalid_field", "result.url"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":\"\"}}", 400, "invalid_field", "result.url"),
                post("/submit", "{\"brand\":\"steady\",\"result\":\"u9\"}", 400, "invalid_field", "result"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":\"u9\",\"embedding\":[1,\"a\"]}}", 400,
                        "invalid_field", "result.embedding[1]"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":\"u9\",\"embedding\":[1e300]}}", 400,
                        "invalid_field", "result.embedding[0]"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":\"u9\",\"embedding\":{}}}", 400,
                        "invalid_field", "result.embedding"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":\"u9\",\"url\":\"u10\"}}", 400,
                        "malformed_json", "url"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":\"u9\"}} trailing", 400, "malformed_json", "line"),
                // Refusals found after the fast path has cut the embedding out of the body.
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":\"u9\",\"embedding\":[0.5,-0.25]}} trailing", 400,
                        "malformed_json", "line 1, column"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":\"u9\",\"embedding\":[0.5,-0.25]}", 400,
                        "malformed_json", "end-of-input"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"embedding\":[0.5,-0.25],\"url\":7}}", 400,
                        "invalid_field", "result.url"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"embedding\":[0.5],\"url\":\"u9\",\"embedding\":[1]}}", 400,
                        "malformed_json", "embedding"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":\"u9\",\"x\":" + deep + "}}", 400,
                        "malformed_json", "nesting"),
                post("/submit", "{\"brand\":\"ghost\",\"result\":{\"url\":\"u9\"}}", 404, "unknown_brand", "ghost"),
                post("/submit", "{\"brand\":\"full\",\"result\":{\"url\":\"f2\"}}", 409, "over_count", "f2"),
                post("/submit", "{\"brand\":\"steady\",\"result\":{\"url\":\"" + "x".repeat(MAX_BODY) + "\"}}", 413,
                        "body_too_large", "max_body_bytes"),
                post("/fail", "{\"brand\":\"steady\",\"url\":\"u9\"}", 400, "invalid_field", "error"),
                post("/fail", "{\"brand\":\"steady\",\"error\":\"boom\"}", 400, "invalid_field", "url"),
                post("/fail", "{\"brand\":\"full\",\"url\":\"f3\",\"error\":\"boom\"}", 409, "over_count", "f3"),
                post("/commit-complete", "{\"brand\":\"steady\"}", 409, "commit_not_granted", "1 of 3"),
                post("/commit-complete", "{\"brand\":\"full\",\"lease\":5}", 400, "invalid_field", "lease"),
                post("/commit-complete", "{\"brand\":\"full\",\"lease\":\"not-the-lease\"}", 409, "lease_lost", "not-the-lease"),
                post("/claim-commit", "{}", 400, "invalid_field", "brand"),
                post("/release-lease", "", 400, "malformed_json", "empty"),
                post("/release-lease", "{\"brand\":\"full\"", 400, "malformed_json", "malformed JSON"),
                post("/release-lease", "[\"full\"]", 400, "invalid_field", "JSON object"),
                post("/release-lease", "{\"brand\":\"full\"}", 400, "invalid_field", "lease"),
                post("/release-lease", "{\"lease\":\"x\"}", 400, "invalid_field", "brand"),
                post("/release-lease", "{\"brand\":\"full\",\"lease\":5}", 400, "invalid_field", "lease"),
                post("/release-lease", "{\"brand\":\"full\",\"lease\":\"\"}", 400, "invalid_field", "lease"),
                post("/release-lease", "{\"brand\":\"ghost\",\"lease\":\"x\"}", 404, "unknown_brand", "ghost"),
                post("/release-lease", "{\"brand\":\"steady\",\"lease\":\"x\"}", 409, "commit_not_granted", "1 of 3"),
                post("/release-lease", "{\"brand\":\"full\",\"lease\":\"not-the-lease\"}", 409, "lease_lost",
                        "not-the-lease"),
                new Bad(HttpMethod.GET, "/release-lease", null, 405, "method_not_allowed", "GET"),
                new Bad(HttpMethod.GET, "/results/ghost", null, 404, "unknown_brand", "ghost"),
                new Bad(HttpMethod.GET, "/results/steady?offset=-1&limit=5", null, 400, "invalid_field", "offset"),
                new Bad(HttpMethod.GET, "/results/steady?offset=two", null, 400, "invalid_field", "offset"),
                new Bad(HttpMethod.GET, "/results/steady?limit=0", null, 400, "invalid_field", "limit"),
                new Bad(HttpMethod.GET, "/results/steady?offset=0&limit=10001", null, 400, "invalid_field", "limit"),
                new Bad(HttpMethod.GET, "/brands?limit=abc", null, 400, "invalid_field", "limit"),
                new Bad(HttpMethod.GET, "/nowhere", null, 404, "not_found", "/nowhere"),
                new Bad(HttpMethod.DELETE, "/start", null, 405, "method_not_allowed", "DELETE"));
        assertTrue(table.size() >= 20);

        JsonObject steadyBefore = withoutTimes(http.get("/status/steady").json());
        JsonObject fullBefore = withoutTimes(http.get("/status/full").json());
        JsonArray steadyResults = http.get("/results/steady").array();
        for (Bad bad : table) {
            TestHttp.Answer answer = http.send(bad.method(), bad.path(), bad.body() == null ? null : Buffer.buffer(bad.body()));
            String label = bad.method() + " " + bad.path() + " " + abbreviate(bad.body());
            assertEquals(bad.status(), answer.status(), label + " -> " + answer.body());
            assertTrue(answer.contentType().startsWith("application/json"), label);
            JsonObject error = answer.json();
            assertEquals(bad.error(), error.getString("error"), label + " -> " + error);
            assertTrue(error.getString("message").contains(bad.mentions()),
                    label + ": message should mention '" + bad.mentions() + "' -> " + error.getString("message"));

            assertEquals(steadyBefore, withoutTimes(http.get("/status/steady").json()), "state changed after " + label);
            assertEquals(fullBefore, withoutTimes(http.get("/status/full").json()), "state changed after " + label);
            assertEquals(steadyResults, http.get("/results/steady").array(), "results changed after " + label);
        }
        assertEquals(2, http.get("/health").json().getInteger("batches"), "no bad start created a batch");
    }

    @Test
    void aFullMemoryBudgetAnswers507AndKeepsWhatItHas() {
        Vertx small = Vertx.vertx();
        try {
            int port = RegistryServer.start(small, new JsonObject().put("memory_budget_bytes", 2_000),
                    SettableClock.startingAt("2026-11-22T10:00:00Z"), 1);
            TestHttp tiny = new TestHttp(small, port);
            assertEquals(200, tiny.post("/start", "{\"brand\":\"a\",\"expected_count\":100}").status());
            int accepted = 0;
            TestHttp.Answer answer;
            while ((answer = tiny.post("/submit", RegistryHttpTest.submit("a", "u" + accepted))).status() == 200) {
                accepted++;
            }
            assertEquals(507, answer.status());
            assertEquals("memory_budget_exceeded", answer.error());
            assertTrue(answer.json().getString("message").contains("2000"));
            assertTrue(accepted > 0);
            assertEquals(accepted, tiny.get("/results/a").array().size(), "everything accepted is still there");
            assertEquals(accepted, tiny.get("/status/a").json().getInteger("completed"));
        } finally {
            small.close().await();
        }
    }

    private static JsonObject withoutTimes(JsonObject status) {
        JsonObject copy = status.copy();
        copy.remove("updated_at");
        return copy;
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() <= 80 ? body : body.substring(0, 80) + "...";
    }
}
