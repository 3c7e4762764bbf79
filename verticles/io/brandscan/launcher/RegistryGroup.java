package io.brandscan.launcher;

import io.brandscan.registry.RegistryHttpVerticle;
import io.brandscan.registry.RegistrySettings;
import io.brandscan.registry.RegistryVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
        return start(vertx, conf.getJsonObject("registry", new JsonObject()), instances).mapEmpty();
    }

    /**
     * Deploys the owner, then its HTTP verticles, and completes with the port they listen on (the
     * actual one when the slice asks for any free port with 0 or -1: a group in the same process
     * points its registry client there).
     */
    public static Future<Integer> start(Vertx vertx, JsonObject slice, Integer instances) {
        JsonObject conf = slice.copy();
        if (conf.getValue("port") instanceof Number n && n.intValue() == 0) {
            conf.put("port", -1); // several HTTP instances must share the one free port
        }
        int http = instances != null ? instances : RegistrySettings.fromJson(conf).httpInstances();
        List<RegistryHttpVerticle> started = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(new RegistryVerticle(), new DeploymentOptions().setConfig(conf))
                .compose(owner -> vertx.deployVerticle(() -> {
                    RegistryHttpVerticle verticle = new RegistryHttpVerticle();
                    started.add(verticle);
                    return verticle;
                }, new DeploymentOptions().setConfig(conf).setInstances(http)))
                .map(id -> started.get(0).actualPort());
    }
}
