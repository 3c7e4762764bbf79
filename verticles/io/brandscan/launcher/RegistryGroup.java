package io.brandscan.launcher;

import io.brandscan.registry.RegistryHttpVerticle;
import io.brandscan.registry.RegistrySettings;
import io.brandscan.registry.RegistryVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The {@code registry} group: the Active Brand Registry's single state owner and its HTTP
 * verticles (one per core by default, or {@code -instances}). Slice: {@code registry}.
 */
public final class RegistryGroup implements VerticleGroup {
    @Override
    public String name() {
        return "registry";
    }

    @Override
    public String description() {
        return "the Active Brand Registry (HTTP API, single in-memory state owner)";
    }

    @Override
    public Future<Void> deploy(Vertx vertx, JsonObject conf, Integer instances) {
        JsonObject slice = conf.getJsonObject("registry", new JsonObject());
        int http = instances != null ? instances : RegistrySettings.fromJson(slice).httpInstances();
        return vertx.deployVerticle(new RegistryVerticle(), new DeploymentOptions().setConfig(slice))
                .compose(owner -> vertx.deployVerticle(RegistryHttpVerticle::new,
                        new DeploymentOptions().setConfig(slice).setInstances(http)))
                .mapEmpty();
    }
}
