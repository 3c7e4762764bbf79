package io.brandscan.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A set of verticles launched together as one process by {@code run <group>}. The returned
 * Future fails when any part fails to deploy, so a half-started group never reports ready.
 */
public interface VerticleGroup {
    String name();

    String description();

    /**
     * Deploys the group.
     *
     * @param conf      the merged group configuration (all slices)
     * @param instances the {@code -instances} option for the group's scalable verticles, or null
     */
    Future<Void> deploy(Vertx vertx, JsonObject conf, Integer instances);
}
