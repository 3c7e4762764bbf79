package io.brandscan.launcher;

import io.brandscan.mongo.MongoConnection;
import io.brandscan.ops.ReadinessCheck;
import io.brandscan.push.ClientScanForwarder;
import io.brandscan.push.JwtTokenVerifier;
import io.brandscan.push.PushSettings;
import io.brandscan.push.PushCounters;
import io.brandscan.push.PushVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.micrometer.backends.BackendRegistries;

import java.time.Clock;
import java.util.List;

/**
 * The {@code push} group: the browser-facing push tier (SSE and the SockJS bridge), outbound
 * only and scoped to each token's client. One {@link ClientScanForwarder} per process (its
 * copies are node-local), then {@code -instances} (or {@code push.instances}, default 1)
 * {@link PushVerticle}s sharing the port. Slices: {@code push}, {@code mongo}, {@code store}.
 */
public final class PushGroup implements VerticleGroup {
    @Override
    public String name() {
        return "push";
    }

    @Override
    public String description() {
        return "the push tier: SSE scan events and the SockJS event-bus bridge for dashboards";
    }

    @Override
    public Future<Void> deploy(Vertx vertx, JsonObject conf, Integer instances) {
        JsonObject slice = conf.getJsonObject("push", new JsonObject());
        int count = instances != null ? instances : slice.getInteger("instances", 1);
        if (count < 1 || count > 64) {
            return Future.failedFuture(new IllegalArgumentException("push.instances must be in 1..64, got " + count));
        }
        try {
            // Checked before anything is deployed, so a refused start leaves no forwarder behind.
            JwtTokenVerifier.requireSecret(PushSettings.from(slice).jwtSecret());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        JsonObject config = conf.copy();
        if (count > 1 && config.getJsonObject("push", new JsonObject()).getValue("port") instanceof Number n
                && n.intValue() == 0) {
            config.getJsonObject("push").put("port", -1); // several instances must share the one free port
        }
        PushCounters counters = new PushCounters();
        counters.bindTo(BackendRegistries.getDefaultNow());
        return vertx.deployVerticle(new ClientScanForwarder(Clock.systemUTC(), counters),
                        new DeploymentOptions().setConfig(config))
                .compose(id -> vertx.deployVerticle(() -> new PushVerticle(Clock.systemUTC(), counters),
                        new DeploymentOptions().setConfig(config).setInstances(count)))
                .mapEmpty();
    }

    @Override
    public List<ReadinessCheck> readiness(Vertx vertx, JsonObject conf) {
        MongoClient mongo = MongoConnection.client(vertx, conf.getJsonObject("mongo", new JsonObject()));
        return List.of(ReadinessCheck.of("mongo", () -> mongo.runCommand("ping", new JsonObject().put("ping", 1))));
    }
}
