package io.brandscan.launcher;

import io.brandscan.pipeline.ScanProgress;
import io.brandscan.pipeline.ScanStarter;
import io.brandscan.queue.SqsBroker;
import io.brandscan.scan.Scan;
import io.brandscan.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code all} group running inside a command ({@code scan}, {@code demo}): Vert.x, the
 * embedded stand-ins, the registry and the workers in this process, plus what the command needs
 * to start a scan and read it back. The command's own thread waits on it, never an event loop.
 */
final class LocalStack implements AutoCloseable {
    /** The client every local scan belongs to: a single-user command has no tenants. */
    static final String CLIENT = "local";

    private final Vertx vertx;
    private final JsonObject conf;
    private final ScanStore store;
    private final SqsBroker broker;
    private final ScanStarter starter;

    private LocalStack(Vertx vertx, JsonObject conf, ScanStore store, SqsBroker broker, ScanStarter starter) {
        this.vertx = vertx;
        this.conf = conf;
        this.store = store;
        this.broker = broker;
        this.starter = starter;
    }

    /**
     * Starts the group with {@code allow} added to the feed and image allowlists (host[:port]
     * entries: the feed's own server, and what the user named). Blocks the calling thread.
     */
    static LocalStack start(Vertx vertx, JsonObject allConf, List<String> allow) throws Exception {
        JsonObject conf = withAllowed(allConf, allow);
        JsonObject workers = AllGroup.start(vertx, conf, null).await(180, TimeUnit.SECONDS);
        Clock clock = Clock.systemUTC();
        ScanStore store = ScanStore.open(vertx, workers.getJsonObject("mongo", new JsonObject()),
                workers.getJsonObject("store", new JsonObject()), clock).await(60, TimeUnit.SECONDS);
        SqsBroker broker = SqsBroker.create(vertx, workers.getJsonObject("sqs", new JsonObject()));
        String gatherQueue = workers.getJsonObject("gather", new JsonObject()).getString("queue", "gather");
        ScanStarter starter = new ScanStarter(store.scans(), broker.open(gatherQueue).await(60, TimeUnit.SECONDS),
                new ScanProgress(vertx, store.scans(), clock));
        return new LocalStack(vertx, workers, store, broker, starter);
    }

    /** {@code allow} appended to {@code gather.allow} and {@code download.allow}. */
    static JsonObject withAllowed(JsonObject conf, List<String> allow) {
        JsonObject merged = conf.copy();
        for (String slice : List.of("gather", "download")) {
            JsonObject s = merged.getJsonObject(slice, new JsonObject());
            JsonArray entries = s.getJsonArray("allow", new JsonArray()).copy();
            allow.forEach(entries::add);
            merged.put(slice, s.put("allow", entries));
        }
        return merged;
    }

    Vertx vertx() {
        return vertx;
    }

    /** The configuration the workers run with (actual ports of the stand-ins and the registry). */
    JsonObject conf() {
        return conf;
    }

    ScanStore store() {
        return store;
    }

    Future<Scan> startScan(String brandId, JsonObject brand) {
        return starter.start(CLIENT, brandId, brand);
    }

    @Override
    public void close() {
        try {
            store.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        broker.close();
    }
}
