package io.brandscan.devservices;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;

/**
 * Runs {@link DevServices} for the {@code devservices} and {@code all} groups. Starting and
 * stopping the stand-ins block for seconds, so both run in {@code executeBlocking}. Once up, the
 * adapter configuration pointing at them (actual ports included) is put in the local map
 * {@link #LOCAL_MAP} under {@link #ADAPTER_CONFIG_KEY}, for the group that deploys the other
 * verticles of the same process next.
 */
public final class DevServicesVerticle extends VerticleBase {
    public static final String LOCAL_MAP = "brandscan.devservices";
    public static final String ADAPTER_CONFIG_KEY = "adapter_config";

    private DevServices services;

    @Override
    public Future<?> start() {
        DevServicesSettings settings = DevServicesSettings.fromJson(config());
        return vertx.executeBlocking(() -> DevServices.start(settings))
                .onSuccess(started -> {
                    services = started;
                    LocalMap<String, JsonObject> map = vertx.sharedData().getLocalMap(LOCAL_MAP);
                    map.put(ADAPTER_CONFIG_KEY, started.adapterConfig());
                });
    }

    /** The adapter configuration (sqs, s3, mongo slices) of the stand-ins this process runs. */
    public static JsonObject adapterConfig(Vertx vertx) {
        LocalMap<String, JsonObject> map = vertx.sharedData().getLocalMap(LOCAL_MAP);
        JsonObject conf = map.get(ADAPTER_CONFIG_KEY);
        return conf == null ? new JsonObject() : conf.copy();
    }

    @Override
    public Future<?> stop() {
        DevServices running = services;
        services = null;
        vertx.sharedData().getLocalMap(LOCAL_MAP).remove(ADAPTER_CONFIG_KEY);
        if (running == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            running.close();
            return null;
        });
    }
}
