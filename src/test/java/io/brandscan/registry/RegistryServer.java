package io.brandscan.registry;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Starts a real registry (state owner plus HTTP instances on one random port) for tests. */
final class RegistryServer {
    private RegistryServer() {
    }

    /** Deploys the registry with the given conf and clock; returns the port it listens on. */
    static int start(Vertx vertx, JsonObject conf, Clock clock, int httpInstances) {
        JsonObject slice = conf.copy().put("port", -1).put("host", "127.0.0.1");
        List<RegistryHttpVerticle> http = new CopyOnWriteArrayList<>();
        vertx.deployVerticle(new RegistryVerticle(clock), new DeploymentOptions().setConfig(slice))
                .compose(id -> vertx.deployVerticle(() -> {
                    RegistryHttpVerticle verticle = new RegistryHttpVerticle();
                    http.add(verticle);
                    return verticle;
                }, new DeploymentOptions().setConfig(slice).setInstances(httpInstances)))
                .await();
        return http.get(0).actualPort();
    }
}
