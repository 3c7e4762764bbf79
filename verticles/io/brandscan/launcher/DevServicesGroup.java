package io.brandscan.launcher;

import io.brandscan.devservices.DevServicesVerticle;
import io.brandscan.ops.ReadinessCheck;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

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

    /** Each stand-in accepting connections on its port. */
    @Override
    public List<ReadinessCheck> readiness(Vertx vertx, JsonObject conf) {
        JsonObject adapters = DevServicesVerticle.adapterConfig(vertx);
        List<ReadinessCheck> checks = new ArrayList<>();
        for (String slice : List.of("sqs", "s3", "mongo")) {
            JsonObject c = adapters.getJsonObject(slice);
            if (c == null) {
                continue;
            }
            URI uri = URI.create(c.getString(slice.equals("mongo") ? "connection_string" : "endpoint"));
            checks.add(ReadinessCheck.of(slice, () -> vertx.createNetClient().connect(uri.getPort(), uri.getHost())
                    .compose(socket -> socket.close())));
        }
        return checks;
    }
}
