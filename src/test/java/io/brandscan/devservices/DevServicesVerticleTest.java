package io.brandscan.devservices;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verticle form: deployed with ports 0, it publishes where the stand-ins listen; undeployed, they stop. */
class DevServicesVerticleTest {
    @Test
    void publishesActualEndpointsAndStopsOnUndeploy() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            JsonObject conf = new JsonObject()
                    .put("sqs", new JsonObject().put("port", 0))
                    .put("s3", new JsonObject().put("port", 0))
                    .put("mongo", new JsonObject().put("port", 0));
            String id = await(vertx.deployVerticle(new DevServicesVerticle(),
                    new io.vertx.core.DeploymentOptions().setConfig(conf)));
            JsonObject adapters = DevServicesVerticle.adapterConfig(vertx);
            int sqs = URI.create(adapters.getJsonObject("sqs").getString("endpoint")).getPort();
            int s3 = URI.create(adapters.getJsonObject("s3").getString("endpoint")).getPort();
            int mongo = URI.create(adapters.getJsonObject("mongo").getString("connection_string")).getPort();
            for (int port : new int[]{sqs, s3, mongo}) {
                assertTrue(accepts(port), "listening on " + port);
            }
            await(vertx.undeploy(id));
            for (int port : new int[]{sqs, s3, mongo}) {
                assertFalse(accepts(port), "stopped on " + port);
            }
            assertTrue(DevServicesVerticle.adapterConfig(vertx).isEmpty());
        } finally {
            await(vertx.close());
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
