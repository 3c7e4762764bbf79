package io.brandscan.push;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.launcher.GroupConfig;
import io.brandscan.launcher.Groups;
import io.brandscan.launcher.PushGroup;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run push}: its bundled defaults, environment overrides, and a refusal to start without a secret. */
class PushGroupTest {
    @Test
    void defaultsAndEnvironmentOverrides() {
        assertTrue(Groups.named("push").isPresent());
        JsonObject defaults = GroupConfig.load("push", null, Map.of());
        PushSettings settings = PushSettings.from(defaults.getJsonObject("push"));
        assertEquals(8090, settings.port());
        assertEquals(4, settings.maxEventsPerSecond());
        assertEquals(65_536, settings.writeQueueMaxBytes());
        assertEquals(null, settings.jwtSecret());
        JsonObject env = GroupConfig.load("push", null, Map.of("BRANDSCAN_PUSH_JWT_SECRET", Tokens.SECRET,
                "BRANDSCAN_PUSH_MAX_EVENTS_PER_SECOND", "2", "BRANDSCAN_PUSH_ADMIN_TOKEN", "op"));
        PushSettings overridden = PushSettings.from(env.getJsonObject("push"));
        assertEquals(Tokens.SECRET, overridden.jwtSecret());
        assertEquals("op", overridden.adminToken());
        assertEquals(2, overridden.maxEventsPerSecond());
        assertTrue(!overridden.toString().contains(Tokens.SECRET), "settings never print the secret");
        assertThrows(IllegalArgumentException.class,
                () -> PushSettings.from(new JsonObject().put("write_queue_max_bytes", 10)));
        assertThrows(IllegalArgumentException.class,
                () -> PushSettings.from(new JsonObject().put("max_events_per_second", 0)));
    }

    @Test
    void theGroupRefusesToStartWithoutASecretAndServesWithOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (DevServices services = DevServices.start(new DevServicesSettings(false, 0, false, 0, null, "k", "s", true, 0, null))) {
            Vertx vertx = Vertx.vertx();
            try {
                JsonObject mongo = services.adapterConfig().getJsonObject("mongo").copy().put("db_name", "push_group");
                JsonObject noSecret = GroupConfig.load("push", new JsonObject().put("mongo", mongo)
                        .put("push", new JsonObject().put("host", "127.0.0.1").put("port", port)).encode(), Map.of());
                Exception refused = assertThrows(Exception.class,
                        () -> new PushGroup().deploy(vertx, noSecret, null).await(30, TimeUnit.SECONDS));
                assertTrue(String.valueOf(refused.getMessage()).contains("BRANDSCAN_PUSH_JWT_SECRET"), refused.toString());

                JsonObject conf = GroupConfig.load("push", noSecret.encode(), Map.of("BRANDSCAN_PUSH_JWT_SECRET", Tokens.SECRET));
                new PushGroup().deploy(vertx, conf, 2).await(30, TimeUnit.SECONDS);
                var http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
                SseClient noToken = SseClient.open(http, vertx.getOrCreateContext(), "/api/v1/scans/s1/events", null);
                assertEquals(401, noToken.status());
                SseClient missing = SseClient.open(http, vertx.getOrCreateContext(),
                        "/api/v1/scans/s1/events?access_token=" + new Tokens(vertx).viewer("acme"), null);
                assertEquals(404, missing.status());
            } finally {
                vertx.close().await(30, TimeUnit.SECONDS);
            }
        }
    }
}
