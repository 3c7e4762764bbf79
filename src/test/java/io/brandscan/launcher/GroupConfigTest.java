package io.brandscan.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupConfigTest {
    @Test
    void bundledDefaultsAreTheBottomLayer() {
        JsonObject conf = GroupConfig.load("registry", null, Map.of());
        assertEquals(8081, conf.getJsonObject("registry").getInteger("port"));
        assertEquals(60_000, conf.getJsonObject("registry").getInteger("lease_ms"));
    }

    @Test
    void confIsMergedDeeplyOverDefaultsAndEnvironmentWinsOverBoth(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, "{\"registry\":{\"port\":9000,\"lease_ms\":1234}}");
        Map<String, String> env = Map.of(
                "BRANDSCAN_REGISTRY_PORT", "9100",
                "BRANDSCAN_REGISTRY_HOST", "127.0.0.1",
                "BRANDSCAN_CLUSTER_MEMBERS", "10.0.0.5:5701, 10.0.0.6",
                "PATH", "/usr/bin");
        JsonObject conf = GroupConfig.load("registry", file.toString(), env);
        JsonObject registry = conf.getJsonObject("registry");
        assertEquals(9100L, registry.getLong("port"), "environment over -conf");
        assertEquals(1234, registry.getInteger("lease_ms"), "-conf over defaults");
        assertEquals(3_600_000, registry.getInteger("idle_expiry_ms"), "untouched defaults stay");
        assertEquals("127.0.0.1", registry.getString("host"));
        assertEquals(new JsonArray().add("10.0.0.5:5701").add("10.0.0.6"), conf.getJsonObject("cluster").getJsonArray("members"));
    }

    @Test
    void environmentReachesNestedObjectsAndTheLongestSliceWins() {
        Map<String, String> env = Map.of(
                "BRANDSCAN_EMBEDDING_MODEL_EXECUTION_PROVIDER", "cuda",
                "BRANDSCAN_REGISTRY_CLIENT_PORT", "9999",
                "BRANDSCAN_SQS_QUEUES_GATHER", "prod-gather",
                "BRANDSCAN_MONGO_CONNECTION_STRING", "mongodb://db:27017");
        JsonObject conf = GroupConfig.load("workers", null, env);
        assertEquals("cuda", conf.getJsonObject("embedding").getJsonObject("model").getString("execution_provider"));
        assertEquals(9999L, conf.getJsonObject("registry_client").getLong("port"));
        assertEquals("prod-gather", conf.getJsonObject("sqs").getJsonObject("queues").getString("gather"));
        assertEquals("url-process-queue", conf.getJsonObject("sqs").getJsonObject("queues").getString("acquire"));
        assertEquals("mongodb://db:27017", conf.getJsonObject("mongo").getString("connection_string"));
    }

    @Test
    void oneSecretAndOneAdminTokenServeTheApiThatIssuesTokensAndThePushTierThatChecksThem() {
        Map<String, String> env = Map.of("BRANDSCAN_JWT_SECRET", "s".repeat(40), "BRANDSCAN_ADMIN_TOKEN", "admin-1234");
        JsonObject api = GroupConfig.load("api", null, env);
        JsonObject push = GroupConfig.load("push", null, env);
        assertEquals("s".repeat(40), api.getJsonObject("api").getString("jwt_secret"));
        assertEquals("s".repeat(40), push.getJsonObject("push").getString("jwt_secret"));
        assertEquals("admin-1234", push.getJsonObject("push").getString("admin_token"));
        assertTrue(!api.containsKey("push"), "an alias does not invent a slice the group lacks");
    }

    @Test
    void everyGroupHasBundledDefaults() {
        for (String group : Groups.names()) {
            assertTrue(!GroupConfig.load(group, null, Map.of()).isEmpty(), group);
        }
    }

    @Test
    void inlineJsonWorksLikeAFile() {
        JsonObject conf = GroupConfig.load("registry", "{\"registry\":{\"max_body_bytes\":2048}}", Map.of());
        assertEquals(2048, conf.getJsonObject("registry").getInteger("max_body_bytes"));
    }

    @Test
    void mistakesAreNamed() {
        GroupConfig.ConfigException badNumber = assertThrows(GroupConfig.ConfigException.class,
                () -> GroupConfig.load("registry", null, Map.of("BRANDSCAN_REGISTRY_PORT", "eighty")));
        assertTrue(badNumber.getMessage().contains("BRANDSCAN_REGISTRY_PORT"), badNumber.getMessage());
        GroupConfig.ConfigException badJson = assertThrows(GroupConfig.ConfigException.class,
                () -> GroupConfig.load("registry", "{not json", Map.of()));
        assertTrue(badJson.getMessage().contains("inline -conf JSON"), badJson.getMessage());
        GroupConfig.ConfigException missing = assertThrows(GroupConfig.ConfigException.class,
                () -> GroupConfig.load("registry", "/no/such/file.json", Map.of()));
        assertTrue(missing.getMessage().contains("/no/such/file.json"), missing.getMessage());
        GroupConfig.ConfigException noGroup = assertThrows(GroupConfig.ConfigException.class,
                () -> GroupConfig.defaults("nonexistent"));
        assertTrue(noGroup.getMessage().contains("conf/nonexistent.json"));
    }
}
