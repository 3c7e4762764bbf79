package io.brandscan.api;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.time.SettableClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real API for tests: ElasticMQ, s3proxy and mongo-java-server from DevServices on port 0, the
 * ApiVerticle on port 0 with a known admin token, a settable clock and a switchable admission.
 */
final class ApiFixture implements AutoCloseable {
    static final String ADMIN = "test-admin-token-0123456789";

    final DevServices services;
    final Vertx vertx;
    final SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");
    final AtomicReference<ScanAdmission> admission = new AtomicReference<>(ScanAdmission.ADMIT_ALL);
    final ApiVerticle api;
    final ApiHttp http;
    final MongoClient mongo;
    final JsonObject conf;

    private ApiFixture(DevServices services, Vertx vertx, JsonObject conf) throws Exception {
        this.services = services;
        this.vertx = vertx;
        this.conf = conf;
        api = new ApiVerticle(new ScanAdmission() {
            @Override
            public io.vertx.core.Future<Admission> admit(String clientId, String scanId) {
                return admission.get().admit(clientId, scanId);
            }

            @Override
            public io.vertx.core.Future<Void> release(String clientId, String scanId) {
                return admission.get().release(clientId, scanId);
            }

            @Override
            public io.vertx.core.Future<Void> refund(String clientId, String scanId) {
                return admission.get().refund(clientId, scanId);
            }
        }, clock);
        await(vertx.deployVerticle(api, new DeploymentOptions().setConfig(conf)));
        http = new ApiHttp(vertx, api.actualPort());
        mongo = MongoConnection.client(vertx, conf.getJsonObject("mongo").copy().put("pool_name", "api-test-reader"));
    }

    /** Starts everything; {@code apiConf} is merged over the test's api slice. */
    static ApiFixture start(String db, JsonObject apiConf) throws Exception {
        DevServices services = DevServices.start(new DevServicesSettings(true, 0, true, 0, null, "k", "s", true, 0, null));
        Vertx vertx = Vertx.vertx();
        JsonObject sqs = services.adapterConfig().getJsonObject("sqs").copy().put("create_queues", true)
                .put("wait_time_s", 1).put("retry_backoff_s", 1).put("max_receive_count", 3);
        JsonObject api = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("admin_token", ADMIN)
                .put("jwt_secret", "0123456789abcdef0123456789abcdef-test").put("max_body_bytes", 8192)
                .put("max_upload_bytes", 2_000_000).mergeIn(apiConf == null ? new JsonObject() : apiConf);
        JsonObject conf = new JsonObject().put("api", api).put("sqs", sqs)
                .put("s3", services.adapterConfig().getJsonObject("s3").copy().put("create_bucket", true))
                .put("mongo", services.adapterConfig().getJsonObject("mongo").copy().put("db_name", db))
                .put("store", new JsonObject());
        return new ApiFixture(services, vertx, conf);
    }

    /** A new client; returns {id, api_key}. */
    JsonObject newClient(String name) {
        ApiHttp.Answer a = http.post("/api/v1/clients", ADMIN, new JsonObject().put("name", name));
        assertEquals(201, a.status(), a.toString());
        return a.json();
    }

    /** A new API key of the client with the role; returns the token. */
    String newKey(String adminKey, String role) {
        ApiHttp.Answer a = http.post("/api/v1/api-keys", adminKey, new JsonObject().put("name", role).put("role", role));
        assertEquals(201, a.status(), a.toString());
        return a.json().getString("api_key");
    }

    static JsonObject brand(String name, String feedUrl) {
        return new JsonObject().put("name", name)
                .put("names", new io.vertx.core.json.JsonArray().add(name))
                .put("misspellings", new io.vertx.core.json.JsonArray().add(name.toLowerCase() + "z"))
                .put("keywords", new io.vertx.core.json.JsonArray().add("sneaker"))
                .put("provider", new JsonObject().put("type", "json-feed").put("url", feedUrl));
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        await(vertx.close());
        services.close();
    }
}
