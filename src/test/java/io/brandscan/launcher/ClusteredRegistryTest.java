package io.brandscan.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code -cluster}: the registry group joins a Hazelcast cluster on loopback and still serves. */
class ClusteredRegistryTest {
    @Test
    void theRegistryGroupRunsOnAClusteredVertx() throws Exception {
        int port;
        int hazelcastPort;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            port = a.getLocalPort();
            hazelcastPort = b.getLocalPort();
        }
        JsonObject conf = GroupConfig.load("registry", new JsonObject()
                .put("registry", new JsonObject().put("host", "127.0.0.1").put("port", port))
                .put("cluster", new JsonObject().put("name", "brandscan-test-" + port).put("port", hazelcastPort)
                        .put("members", new io.vertx.core.json.JsonArray().add("127.0.0.1:" + hazelcastPort)))
                .encode(), Map.of());
        Vertx vertx = VertxFactory.create(conf, true).await();
        try {
            assertTrue(vertx.isClustered());
            new RegistryGroup().deploy(vertx, conf, 1).await();
            var client = vertx.createHttpClient();
            var context = vertx.getOrCreateContext();
            io.vertx.core.Promise<String> body = io.vertx.core.Promise.promise();
            context.runOnContext(v -> client.request(HttpMethod.GET, port, "127.0.0.1", "/health")
                    .compose(req -> req.send()).compose(resp -> resp.body()).map(Object::toString).onComplete(body));
            JsonObject health = new JsonObject(body.future().await());
            assertEquals("UP", health.getString("status"));
        } finally {
            vertx.close().await();
        }
    }
}
