package io.brandscan.devservices;

import io.brandscan.mongo.MongoConnection;
import io.brandscan.queue.QueueSettings;
import io.brandscan.queue.SqsBroker;
import io.brandscan.storage.ObjectStore;
import io.brandscan.storage.StorageSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three stand-ins start together in one JVM with Vert.x and the AWS SDK, and stop cleanly. */
class DevServicesTest {
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void allThreeServeRealClientsOnFreePortsAndReleaseThemOnClose() throws Exception {
        int sqsPort;
        int s3Port;
        int mongoPort;
        try (DevServices services = DevServices.start(DevServicesSettings.ephemeral())) {
            sqsPort = services.sqsPort();
            s3Port = services.s3Port();
            mongoPort = services.mongoPort();
            assertTrue(sqsPort > 0 && s3Port > 0 && mongoPort > 0, "actual ports are reported");
            JsonObject conf = services.adapterConfig();

            try (SqsBroker broker = SqsBroker.create(vertx, QueueSettings.fromJson(
                    conf.getJsonObject("sqs").copy().put("create_queues", true)))) {
                String url = await(broker.open("gather")).url();
                assertTrue(url.endsWith("/brand-gather-queue"), url);
            }

            ObjectStore store = await(ObjectStore.open(vertx, StorageSettings.fromJson(
                    conf.getJsonObject("s3").copy().put("create_bucket", true).put("bucket", "devservices-test"))));
            try (store) {
                assertTrue(await(store.put(new byte[]{1, 2, 3})).uploaded());
            }

            MongoClient mongo = MongoConnection.client(vertx, conf.getJsonObject("mongo"));
            assertEquals(1.0, await(mongo.runCommand("ping", new JsonObject().put("ping", 1))).getDouble("ok"));
            await(mongo.close());
        }
        for (int port : new int[]{sqsPort, s3Port, mongoPort}) {
            assertTrue(!accepts(port), "port " + port + " is closed after close()");
        }
    }

    @Test
    void mongoH2FileAndS3DirectorySurviveARestart(@TempDir Path dir) throws Exception {
        DevServicesSettings settings = new DevServicesSettings(false, 0, true, 0, dir.resolve("s3"),
                "brandscan", "brandscan-secret", true, 0, dir.resolve("mongo/brandscan.mv"));
        String key;
        try (DevServices services = DevServices.start(settings)) {
            MongoClient mongo = MongoConnection.client(vertx, services.adapterConfig().getJsonObject("mongo"));
            await(mongo.save("scans", new JsonObject().put("_id", "scan-1").put("state", "complete")));
            await(mongo.close());
            ObjectStore store = await(ObjectStore.open(vertx, StorageSettings.fromJson(
                    services.adapterConfig().getJsonObject("s3").copy().put("create_bucket", true))));
            try (store) {
                key = await(store.put("persisted bytes".getBytes())).key();
            }
        }
        assertTrue(Files.exists(dir.resolve("mongo/brandscan.mv")), "H2 file written");
        try (DevServices services = DevServices.start(settings)) {
            MongoClient mongo = MongoConnection.client(vertx, services.adapterConfig().getJsonObject("mongo"));
            JsonObject scan = await(mongo.findOne("scans", new JsonObject().put("_id", "scan-1"), null));
            assertEquals("complete", scan.getString("state"));
            await(mongo.close());
            ObjectStore store = await(ObjectStore.open(vertx, StorageSettings.fromJson(
                    services.adapterConfig().getJsonObject("s3"))));
            try (store) {
                assertEquals("persisted bytes", await(store.get(key)).toString());
            }
        }
    }

    @Test
    void refusesToBlockAnEventLoop() throws Exception {
        Throwable failure = vertx.getOrCreateContext().<DevServices>executeBlocking(() -> null)
                .compose(v -> {
                    try {
                        return io.vertx.core.Future.succeededFuture(DevServices.start(DevServicesSettings.ephemeral()));
                    } catch (Exception e) {
                        return io.vertx.core.Future.failedFuture(e);
                    }
                })
                .toCompletionStage().toCompletableFuture()
                .handle((ok, e) -> e).get(10, TimeUnit.SECONDS);
        assertTrue(failure != null && String.valueOf(failure).contains("event loop"), String.valueOf(failure));
    }

    @Test
    void rejectsBadPorts() {
        assertThrows(IllegalArgumentException.class, () -> DevServicesSettings.fromJson(
                new JsonObject().put("sqs", new JsonObject().put("port", 70000))));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
