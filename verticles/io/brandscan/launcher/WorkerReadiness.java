package io.brandscan.launcher;

import io.brandscan.mongo.MongoConnection;
import io.brandscan.ops.ReadinessCheck;
import io.brandscan.queue.SqsBroker;
import io.brandscan.registry.RegistryClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;

/**
 * What a workers process needs to be ready: MongoDB answering a ping, the pipeline's three SQS
 * queues reachable, and the registry answering its health check. The clients are made once and
 * live as long as the process.
 */
final class WorkerReadiness {
    private WorkerReadiness() {
    }

    static List<ReadinessCheck> checks(Vertx vertx, JsonObject conf) {
        MongoClient mongo = MongoConnection.client(vertx, conf.getJsonObject("mongo", new JsonObject()));
        SqsBroker broker = SqsBroker.create(vertx, conf.getJsonObject("sqs", new JsonObject()));
        RegistryClient registry = new RegistryClient(vertx, RegistryClient.Settings.fromJson(
                conf.getJsonObject("registry_client", new JsonObject())));
        return List.of(
                ReadinessCheck.of("mongo", () -> mongo.runCommand("ping", new JsonObject().put("ping", 1))),
                ReadinessCheck.of("sqs", () -> Future.all(broker.open("gather"), broker.open("acquire"),
                        broker.open("ai"))),
                ReadinessCheck.of("registry", registry::health));
    }
}
