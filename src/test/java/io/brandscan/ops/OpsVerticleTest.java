package io.brandscan.ops;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ops endpoints over real HTTP: liveness, readiness with passing, failing and hanging checks, 404s. */
class OpsVerticleTest {
    private Vertx vertx;
    private WebClient web;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        web = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private int deploy(List<ReadinessCheck> checks, AtomicBoolean accepting) {
        OpsVerticle ops = new OpsVerticle("test", () -> checks, accepting::get);
        vertx.deployVerticle(ops, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
                .put("host", "127.0.0.1").put("check_timeout_ms", 300))).await();
        return ops.actualPort();
    }

    private HttpResponse<Buffer> get(int port, String path) {
        return vertx.getOrCreateContext().<HttpResponse<Buffer>>executeBlocking(() -> null).compose(x ->
                web.get(port, "127.0.0.1", path).send()).await();
    }

    @Test
    void readyOnlyWhenAcceptingAndEveryCheckPasses() {
        AtomicBoolean accepting = new AtomicBoolean(false);
        AtomicBoolean mongoUp = new AtomicBoolean(true);
        int port = deploy(List.of(
                ReadinessCheck.of("mongo", () -> mongoUp.get() ? Future.succeededFuture()
                        : Future.failedFuture("connection refused")),
                ReadinessCheck.of("registry", Future::succeededFuture)), accepting);

        assertEquals(200, get(port, "/health").statusCode(), "alive before ready");
        HttpResponse<Buffer> notYet = get(port, "/ready");
        assertEquals(503, notYet.statusCode());
        assertEquals(false, notYet.bodyAsJsonObject().getBoolean("accepting"));

        accepting.set(true);
        HttpResponse<Buffer> ready = get(port, "/ready");
        assertEquals(200, ready.statusCode(), ready.bodyAsString());
        assertEquals("UP", ready.bodyAsJsonObject().getString("status"));

        mongoUp.set(false);
        HttpResponse<Buffer> down = get(port, "/ready");
        assertEquals(503, down.statusCode());
        JsonObject mongo = down.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0);
        assertEquals("DOWN", mongo.getString("status"));
        assertEquals("connection refused", mongo.getString("error"));
        assertEquals("UP", down.bodyAsJsonObject().getJsonArray("checks").getJsonObject(1).getString("status"));
    }

    @Test
    void aCheckThatNeverAnswersIsDownAfterTheTimeout() {
        int port = deploy(List.of(ReadinessCheck.of("sqs", () -> Promise.promise().future())), new AtomicBoolean(true));
        HttpResponse<Buffer> r = get(port, "/ready");
        assertEquals(503, r.statusCode());
        assertTrue(r.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0).getString("error")
                .contains("no answer within 300 ms"), r.bodyAsString());
    }

    @Test
    void unknownPathsAnswer404WithTheEndpointsAndMetricsAreServedWhenEnabled() {
        int port = deploy(List.of(), new AtomicBoolean(true));
        HttpResponse<Buffer> r = get(port, "/nope");
        assertEquals(404, r.statusCode());
        assertTrue(r.bodyAsJsonObject().getString("message").contains("/ready"));
    }

    @Test
    void badPortsAreRefusedByName() {
        OpsVerticle ops = new OpsVerticle("test", List::of, () -> true);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> vertx.deployVerticle(ops,
                new DeploymentOptions().setConfig(new JsonObject().put("port", 70000))).await());
        assertTrue(e.getMessage().contains("ops.port"), e.getMessage());
    }
}
