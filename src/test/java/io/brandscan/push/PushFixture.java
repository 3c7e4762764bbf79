package io.brandscan.push;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.store.ScanStore;
import io.brandscan.store.StoreSettings;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A real push node for one test class: mongo-java-server on a free port (DevServices), a store
 * over it, the forwarder and the push verticle on port 0, the local event bus, a token issuer
 * with the same secret, and an HTTP client whose receive buffer is small (so a paused reader
 * fills the server's write queue quickly).
 */
final class PushFixture implements AutoCloseable {
    final DevServices services;
    final Vertx vertx;
    final ScanStore store;
    final ScanProgress progress;
    final PushCounters counters = new PushCounters();
    final Tokens tokens;
    final int port;
    final HttpClient http;
    final Context context;
    /** The database as the tests see it, for damage no repository method would do. */
    final io.vertx.ext.mongo.MongoClient raw;

    PushFixture(String database, JsonObject pushOverrides) throws Exception {
        services = DevServices.start(new DevServicesSettings(false, 0, false, 0, null, "k", "s", true, 0, null));
        vertx = Vertx.vertx();
        JsonObject mongo = services.adapterConfig().getJsonObject("mongo").copy().put("db_name", database);
        store = await(ScanStore.over(MongoConnection.client(vertx, mongo.copy().put("pool_name", database + "-test")),
                StoreSettings.DEFAULTS, Clock.systemUTC()));
        progress = new ScanProgress(vertx, store.scans(), Clock.systemUTC());
        JsonObject push = new JsonObject().put("host", "127.0.0.1").put("port", 0)
                .put("jwt_secret", Tokens.SECRET).put("admin_token", Tokens.ADMIN_TOKEN)
                .mergeIn(pushOverrides);
        JsonObject conf = new JsonObject().put("push", push)
                .put("mongo", mongo.copy().put("pool_name", database + "-push")).put("store", new JsonObject());
        await(vertx.deployVerticle(new ClientScanForwarder(Clock.systemUTC(), counters), new DeploymentOptions().setConfig(conf)));
        PushVerticle verticle = new PushVerticle(Clock.systemUTC(), counters);
        await(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(conf)));
        port = verticle.actualPort();
        tokens = new Tokens(vertx);
        http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                .setReceiveBufferSize(4096));
        context = vertx.getOrCreateContext();
        raw = MongoConnection.client(vertx, mongo.copy().put("pool_name", database + "-raw"));
    }

    SseClient sse(String uri, io.vertx.core.MultiMap headers) {
        return SseClient.open(http, context, uri, headers);
    }

    /** Runs {@code action} on the test context and waits for its future. */
    <T> T onContext(java.util.function.Supplier<Future<T>> action) throws Exception {
        io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
        context.runOnContext(v -> action.get().onComplete(p));
        return await(p.future());
    }

    @Override
    public void close() throws Exception {
        await(vertx.close());
        services.close();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
