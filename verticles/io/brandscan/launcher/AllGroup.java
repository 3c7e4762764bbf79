package io.brandscan.launcher;

import io.brandscan.devservices.DevServicesVerticle;
import io.brandscan.ops.ReadinessCheck;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The {@code all} group: everything in one process. The stand-ins are embedded (unless
 * {@code devservices.enabled} is false, for pointing an all-in-one process at real services),
 * then the registry, then the workers, which reach the stand-ins and the registry through the
 * ports actually taken: the configuration may ask for any free port with 0.
 */
public final class AllGroup implements VerticleGroup {
    private static final String LOCAL_MAP = "brandscan.all";
    private static final String WORKERS_CONF = "workers_conf";

    @Override
    public String name() {
        return "all";
    }

    @Override
    public String description() {
        return "everything in one process, with the stand-ins for SQS, S3 and MongoDB embedded";
    }

    @Override
    public Future<Void> deploy(Vertx vertx, JsonObject conf, Integer instances) {
        return start(vertx, conf, instances).mapEmpty();
    }

    /** Deploys the group and completes with the configuration the workers got (actual ports filled in). */
    public static Future<JsonObject> start(Vertx vertx, JsonObject conf, Integer instances) {
        JsonObject devservices = conf.getJsonObject("devservices", new JsonObject());
        Future<JsonObject> services = devservices.getBoolean("enabled", true)
                ? vertx.deployVerticle(new DevServicesVerticle(), new DeploymentOptions().setConfig(devservices))
                        .map(id -> withServices(conf, DevServicesVerticle.adapterConfig(vertx)))
                : Future.succeededFuture(conf.copy());
        return services.compose(withAdapters -> RegistryGroup
                .start(vertx, withAdapters.getJsonObject("registry", new JsonObject()), null)
                .compose(port -> {
                    JsonObject workers = withRegistryPort(withAdapters, port);
                    vertx.sharedData().<String, JsonObject>getLocalMap(LOCAL_MAP).put(WORKERS_CONF, workers);
                    return new WorkersGroup().deploy(vertx, workers, instances).map(v -> workers);
                }));
    }

    /**
     * The adapter slices of the embedded stand-ins laid over the configuration: endpoints and
     * credentials come from the stand-ins, everything else (queue names, timeouts) stays; queues
     * and the bucket are created at start because a fresh stand-in has none.
     */
    public static JsonObject withServices(JsonObject conf, JsonObject adapters) {
        JsonObject merged = conf.copy();
        for (String slice : adapters.fieldNames()) {
            merged.put(slice, merged.getJsonObject(slice, new JsonObject()).mergeIn(adapters.getJsonObject(slice)));
        }
        merged.getJsonObject("sqs", new JsonObject()).put("create_queues", true);
        if (merged.containsKey("s3")) {
            merged.getJsonObject("s3").put("create_bucket", true);
        }
        return merged;
    }

    /** Points every registry client of the group at the registry this process runs. */
    public static JsonObject withRegistryPort(JsonObject conf, int port) {
        JsonObject merged = conf.copy();
        JsonObject client = merged.getJsonObject("registry_client", new JsonObject()).put("host", "127.0.0.1")
                .put("port", port);
        merged.put("registry_client", client);
        JsonObject gather = merged.getJsonObject("gather", new JsonObject());
        gather.put("registry_client", gather.getJsonObject("registry_client", new JsonObject()).mergeIn(client));
        merged.put("gather", gather);
        return merged;
    }

    /** The workers' checks, against the stand-ins and the registry this process started. */
    @Override
    public List<ReadinessCheck> readiness(Vertx vertx, JsonObject conf) {
        JsonObject workers = vertx.sharedData().<String, JsonObject>getLocalMap(LOCAL_MAP).get(WORKERS_CONF);
        return WorkerReadiness.checks(vertx, workers == null ? conf : workers);
    }
}
