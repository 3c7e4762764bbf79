package io.brandscan.mongo;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One real mongo-java-server on a free loopback port and several independent Vert.x instances,
 * each with its own MongoClient pool: stand-ins for separate processes sharing one database.
 */
public final class MongoProcesses implements AutoCloseable {
    public final MongoServer server;
    final List<Vertx> vertxes = new ArrayList<>();
    final List<MongoClient> clients = new ArrayList<>();

    public MongoProcesses(int processes, String database) {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        JsonObject conf = new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + server.getLocalAddress().getPort())
                .put("db_name", database).put("max_pool_size", 8);
        for (int i = 0; i < processes; i++) {
            Vertx vertx = Vertx.vertx();
            vertxes.add(vertx);
            clients.add(MongoConnection.client(vertx, conf.copy().put("pool_name", database + "-" + i)));
        }
    }

    public Vertx vertx(int i) {
        return vertxes.get(i);
    }

    public MongoClient mongo(int i) {
        return clients.get(i);
    }

    /** The {@code mongo} conf slice for one more client of this server, with its own pool. */
    public JsonObject mongoConf(String database, String pool) {
        return new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + server.getLocalAddress().getPort())
                .put("db_name", database).put("max_pool_size", 8).put("pool_name", pool);
    }

    @Override
    public void close() throws Exception {
        for (int i = 0; i < vertxes.size(); i++) {
            await(clients.get(i).close());
            await(vertxes.get(i).close());
        }
        server.shutdownNow();
    }

    public static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Starts {@code work} on a context of {@code vertx}, as a verticle of that process would. */
    public static <T> Future<T> onContext(Vertx vertx, Supplier<Future<T>> work) {
        Promise<T> promise = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> work.get().onComplete(promise));
        return promise.future();
    }
}
