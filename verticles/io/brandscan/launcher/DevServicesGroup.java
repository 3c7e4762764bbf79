package io.brandscan.launcher;

import io.brandscan.devservices.DevServicesVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The {@code devservices} group: the local stand-ins for AWS and MongoDB (ElasticMQ for SQS,
 * s3proxy for S3, mongo-java-server for MongoDB) on the ports of the {@code devservices} slice,
 * so the other groups can run as separate processes on one machine exactly as they would
 * against the real services. Not for production: it binds 127.0.0.1 only.
 */
public final class DevServicesGroup implements VerticleGroup {
    @Override
    public String name() {
        return "devservices";
    }

    @Override
    public String description() {
        return "local stand-ins: ElasticMQ (SQS), s3proxy (S3), mongo-java-server (MongoDB)";
    }

    @Override
    public Future<Void> deploy(Vertx vertx, JsonObject conf, Integer instances) {
        return vertx.deployVerticle(new DevServicesVerticle(),
                new DeploymentOptions().setConfig(conf.getJsonObject("devservices", new JsonObject()))).mapEmpty();
    }
}
