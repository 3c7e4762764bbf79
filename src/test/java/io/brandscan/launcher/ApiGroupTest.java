package io.brandscan.launcher;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code api} group deploys from its bundled conf plus overrides, two instances on one port. */
class ApiGroupTest {
    @Test
    void theApiGroupServesItsContractAndTheAdminTokenFromTheEnvironment() throws Exception {
        assertTrue(Groups.names().contains("api"));
        try (DevServices services = DevServices.start(new DevServicesSettings(true, 0, true, 0, null, "k", "s", true, 0, null))) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            JsonObject overlay = services.adapterConfig().put("api", new JsonObject().put("port", port).put("host", "127.0.0.1"));
            overlay.getJsonObject("mongo").put("db_name", "api_group_test");
            overlay.getJsonObject("s3").put("create_bucket", true);
            overlay.getJsonObject("sqs").put("create_queues", true);
            JsonObject conf = GroupConfig.load("api", overlay.encode(), Map.of("BRANDSCAN_ADMIN_TOKEN", "group-admin-token-123"));
            assertEquals("group-admin-token-123", conf.getJsonObject("api").getString("admin_token"));
            Vertx vertx = Vertx.vertx();
            try {
                Groups.named("api").orElseThrow().deploy(vertx, conf, 2).toCompletionStage().toCompletableFuture()
                        .get(120, TimeUnit.SECONDS);
                HttpClient client = vertx.createHttpClient();
                io.vertx.core.Promise<Integer> answer = io.vertx.core.Promise.promise();
                // Started on a Vert.x context: the pooled client can stall when driven from the test thread.
                vertx.getOrCreateContext().runOnContext(v -> client.request(new RequestOptions().setMethod(HttpMethod.POST)
                                .setHost("127.0.0.1").setPort(port).setURI("/api/v1/clients")
                                .putHeader("Authorization", "Bearer group-admin-token-123")
                                .putHeader("content-type", "application/json"))
                        .compose(req -> req.send(new JsonObject().put("name", "Group Co").encode()))
                        .map(resp -> resp.statusCode())
                        .onComplete(answer));
                int status = answer.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertEquals(201, status, "the admin token from BRANDSCAN_ADMIN_TOKEN creates a client");
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            }
        }
    }
}
