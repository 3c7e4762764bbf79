package io.brandscan.launcher;

import io.brandscan.api.ApiVerticle;
import io.brandscan.push.ClientScanForwarder;
import io.brandscan.push.PushCounters;
import io.brandscan.push.PushVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard of the {@code demo} command: the api group (which serves the browser app) and the
 * push tier (live progress over SSE) deployed into the demo's process over the same stand-ins,
 * with the demo's client ({@link LocalStack#CLIENT}), one client-admin user with a fresh random
 * password, and the demo brand stored for it, so the page opens on the demo scan. The secrets
 * (JWT key, admin token, password) are made per run and die with it. Set up over the API's own
 * HTTP routes, from the command's thread (never an event loop).
 */
final class DemoDashboard {
    static final String EMAIL = "demo@brandscan.local";

    /** Where to open the dashboard and how to sign in. */
    record Opened(String url, String email, String password, String signedInUrl) {
    }

    private DemoDashboard() {
    }

    /**
     * Deploys push and api ({@code apiPort} 0 picks a free port) over {@code workersConf} (the
     * stand-ins' actual endpoints) and prepares the demo client, user and brand. Blocks the calling thread.
     */
    static Opened start(Vertx vertx, JsonObject workersConf, int apiPort, String brandId, JsonObject brand) throws Exception {
        SecureRandom random = new SecureRandom();
        String secret = hex(random, 32);
        String admin = hex(random, 24);
        String password = hex(random, 8);
        JsonObject mongo = workersConf.getJsonObject("mongo", new JsonObject());
        JsonObject pushConf = new JsonObject()
                .put("push", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("jwt_secret", secret))
                .put("mongo", mongo.copy().put("pool_name", "demo-push")).put("store", workersConf.getJsonObject("store", new JsonObject()));
        PushCounters counters = new PushCounters();
        vertx.deployVerticle(new ClientScanForwarder(Clock.systemUTC(), counters), new DeploymentOptions().setConfig(pushConf))
                .await(60, TimeUnit.SECONDS);
        PushVerticle push = new PushVerticle(Clock.systemUTC(), counters);
        vertx.deployVerticle(push, new DeploymentOptions().setConfig(pushConf)).await(60, TimeUnit.SECONDS);

        JsonObject apiConf = ApiVerticle.configFrom(workersConf);
        apiConf.put("mongo", apiConf.getJsonObject("mongo").put("pool_name", "demo-api"));
        apiConf.getJsonObject("api").put("host", "127.0.0.1").put("port", apiPort).put("jwt_secret", secret)
                .put("admin_token", admin).put("token_ttl_s", 28_800).put("push_url", "http://127.0.0.1:" + push.actualPort());
        ApiVerticle api = new ApiVerticle();
        vertx.deployVerticle(api, new DeploymentOptions().setConfig(apiConf)).await(60, TimeUnit.SECONDS);

        String base = "http://127.0.0.1:" + api.actualPort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        JsonObject client = call(http, base, "POST", "/api/v1/clients", admin,
                new JsonObject().put("name", "Demo client").put("id", LocalStack.CLIENT));
        String key = client.getString("api_key");
        call(http, base, "POST", "/api/v1/users", key,
                new JsonObject().put("email", EMAIL).put("password", password).put("role", "client_admin"));
        call(http, base, "PUT", "/api/v1/brands/" + brandId, key, brand);
        String token = call(http, base, "POST", "/api/v1/auth/login", null, new JsonObject()
                .put("client_id", LocalStack.CLIENT).put("email", EMAIL).put("password", password)).getString("token");
        // The session rides in the fragment, which the browser keeps to itself.
        return new Opened(base + "/", EMAIL, password, base + "/#/welcome?token=" + token + "&email=" + EMAIL);
    }

    private static JsonObject call(HttpClient http, String base, String method, String path, String token, JsonObject body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + res.statusCode() + ": " + res.body());
        }
        return res.body().isEmpty() ? new JsonObject() : new JsonObject(res.body());
    }

    private static String hex(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
