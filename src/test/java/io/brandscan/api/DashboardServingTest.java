package io.brandscan.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The api group serves the dashboard from the classpath beside the API: the page and its module
 * at {@code /}, where the push tier is at {@code /dashboard-config.json}, a CSP that admits only
 * this origin and the push tier; the API routes answer as before.
 */
class DashboardServingTest {
    private static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = ApiFixture.start("dashboard_serving_test", new JsonObject().put("push_url", "http://push.example:8090/"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void theIndexItsModuleAndItsConfigAreServedWithoutACredential() {
        ApiHttp.Answer index = api.http.get("/", null);
        assertEquals(200, index.status());
        assertTrue(index.headers().get("content-type").startsWith("text/html"), index.headers().toString());
        assertTrue(index.body().toString().contains("<script type=\"module\" src=\"app.js\">"));
        assertFalse(index.body().toString().contains("https://"), "no CDN: nothing is loaded from elsewhere");
        String csp = index.headers().get("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertTrue(csp.contains("connect-src 'self' http://push.example:8090 ws://push.example:8090"), csp);

        ApiHttp.Answer module = api.http.get("/app.js", null);
        assertEquals(200, module.status());
        assertTrue(module.headers().get("content-type").contains("javascript"), module.headers().toString());
        assertTrue(module.body().toString().contains("new EventSource("));

        ApiHttp.Answer config = api.http.get("/dashboard-config.json", null);
        assertEquals(200, config.status());
        assertEquals("http://push.example:8090", config.json().getString("push_url"), "the trailing slash is dropped");
    }

    @Test
    void apiRoutesAreUnchangedAndUnknownFilesAre404() {
        assertEquals(401, api.http.get("/api/v1/brands", null).status(), "the API still wants a credential");
        assertEquals(200, api.http.get("/api/v1/openapi.json", null).status());
        assertEquals(404, api.http.get("/nope.js", null).status());
        assertEquals(404, api.http.get("/../pom.xml", null).status());
        assertEquals(404, api.http.get("/README.md.bak", null).status());
        assertEquals(405, api.http.send(io.vertx.core.http.HttpMethod.PATCH, "/api/v1/scans", ApiFixture.ADMIN, null, null).status(),
                "the static files do not turn a wrong API method into a 404");
        assertEquals("not_found", api.http.get("/api/v1/nothing-here", ApiFixture.ADMIN).error());
        assertEquals(405, api.http.send(io.vertx.core.http.HttpMethod.POST, "/index.html", null, null, null).status(),
                "the files are read-only");
    }

    @Test
    void aPushUrlThatIsNotAnHttpBaseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ApiSettings.fromJson(new JsonObject().put("push_url", "javascript:alert(1)")));
        assertThrows(IllegalArgumentException.class, () -> ApiSettings.fromJson(new JsonObject().put("push_url", "http://a b")));
        assertEquals("", ApiSettings.fromJson(new JsonObject()).pushUrl(), "default: same origin");
        assertEquals("https://push.example", ApiSettings.fromJson(new JsonObject().put("push_url", "https://push.example")).pushUrl());
    }
}
