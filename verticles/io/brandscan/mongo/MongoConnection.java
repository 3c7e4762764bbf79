package io.brandscan.mongo;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

/**
 * Turns the {@code mongo} configuration slice into a {@link MongoClient}. The same code talks to
 * a real MongoDB in production and to mongo-java-server in tests and the embedded stack, so the
 * pipeline must use only single-document atomic operations (no transactions, no change streams).
 *
 * <p>Keys and defaults: {@code connection_string} (mongodb://127.0.0.1:27017), {@code db_name}
 * (brandscan), {@code max_pool_size} (20), {@code min_pool_size} (0),
 * {@code server_selection_timeout_ms} (5000), {@code connect_timeout_ms} (5000),
 * {@code pool_name} (brandscan: verticles of one process that use the same name share one pool).
 */
public final class MongoConnection {
    private MongoConnection() {
    }

    /** The vertx-mongo-client configuration for a {@code mongo} slice. */
    public static JsonObject clientConfig(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        int maxPool = c.getInteger("max_pool_size", 20);
        int minPool = c.getInteger("min_pool_size", 0);
        if (maxPool < 1 || minPool < 0 || minPool > maxPool) {
            throw new IllegalArgumentException("need 0 <= min_pool_size <= max_pool_size and max_pool_size >= 1");
        }
        return new JsonObject()
                .put("connection_string", c.getString("connection_string", "mongodb://127.0.0.1:27017"))
                .put("db_name", c.getString("db_name", "brandscan"))
                .put("maxPoolSize", maxPool)
                .put("minPoolSize", minPool)
                .put("serverSelectionTimeoutMS", c.getLong("server_selection_timeout_ms", 5000L))
                .put("connectTimeoutMS", c.getLong("connect_timeout_ms", 5000L))
                // Ids are our own deterministic strings (scan id + url hash), never ObjectIds.
                .put("useObjectId", false);
    }

    /** A client sharing the process-wide pool named by {@code pool_name}; close it in stop(). */
    public static MongoClient client(Vertx vertx, JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        return MongoClient.createShared(vertx, clientConfig(c), c.getString("pool_name", "brandscan"));
    }
}
