package io.brandscan.launcher;

import io.brandscan.api.ApiVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The {@code api} group: the REST API ({@link ApiVerticle}), {@code -instances} copies sharing
 * one port (default 1). Slices: {@code api}, {@code mongo}, {@code store}, {@code sqs}. When
 * {@code api.jwt_secret} is empty one random secret is made here for all instances, so a token
 * issued by one instance verifies on another (it still dies with the process: set the secret in
 * production).
 */
public final class ApiGroup implements VerticleGroup {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGroup.class);

    @Override
    public String name() {
        return "api";
    }

    @Override
    public String description() {
        return "the REST API (auth, clients, brands, scans, findings, review)";
    }

    @Override
    public Future<Void> deploy(Vertx vertx, JsonObject conf, Integer instances) {
        JsonObject slices = ApiVerticle.configFrom(conf);
        JsonObject api = slices.getJsonObject("api");
        if (api.getString("jwt_secret", "").isEmpty()) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            api.put("jwt_secret", HexFormat.of().formatHex(secret));
            LOG.warn("api.jwt_secret is not set: session tokens are signed with a random key and die with this process");
        }
        return vertx.deployVerticle(() -> new ApiVerticle(), new DeploymentOptions().setConfig(slices)
                        .setInstances(instances == null ? 1 : instances))
                .mapEmpty();
    }
}
