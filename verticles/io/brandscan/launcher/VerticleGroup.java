package io.brandscan.launcher;

import io.brandscan.ops.ReadinessCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

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

    /**
     * The dependencies {@code GET /ready} of the group's ops server checks, built after the
     * group deployed (so an all-in-one group can point them at the ports it actually took).
     */
    default List<ReadinessCheck> readiness(Vertx vertx, JsonObject conf) {
        return List.of();
    }
}
