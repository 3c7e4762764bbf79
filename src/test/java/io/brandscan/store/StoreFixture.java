package io.brandscan.store;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.time.SettableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.concurrent.TimeUnit;

/**
 * A real mongo-java-server (memory backend) on a free loopback port, a Vert.x instance and a store
 * over it, for one test class. Each class gets its own database so they never see each other's data.
 */
final class StoreFixture implements AutoCloseable {
    final DevServices services;
    final Vertx vertx;
    final MongoClient mongo;
    final SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");
    final ScanStore store;

    StoreFixture(String database, StoreSettings settings) throws Exception {
        services = DevServices.start(new DevServicesSettings(false, 0, false, 0, null, "k", "s", true, 0, null));
        vertx = Vertx.vertx();
        mongo = mongoClient(database, "store-" + database);
        store = await(ScanStore.over(mongo, settings, clock));
    }

    /** Another client with its own pool: a second worker process talking to the same database. */
    MongoClient mongoClient(String database, String pool) {
        return MongoConnection.client(vertx, services.adapterConfig().getJsonObject("mongo").copy()
                .put("db_name", database).put("max_pool_size", 8).put("pool_name", pool));
    }

    @Override
    public void close() throws Exception {
        await(store.close());
        await(vertx.close());
        services.close();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    static JsonObject listing(int i) {
        return new JsonObject().put("url", "https://shop.example.com/item/" + i).put("title", "Item " + i)
                .put("price", 10.0 + i).put("currency", "EUR").put("seller", "seller-" + (i % 7))
                .put("image_url", "https://img.example.com/" + i + ".jpg");
    }
}
