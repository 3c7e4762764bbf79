package io.brandscan.registry;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker's registry client against real servers: the contract, retries and refusals. */
class RegistryClientTest {
    private Vertx vertx;
    private Context context;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    /** Calls the client from a Vert.x context, as workers do, and waits on the test thread. */
    private <T> T onContext(Supplier<Future<T>> call) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> call.get().onComplete(promise));
        return promise.future().await();
    }

    private static RegistryClient.Settings fast(int port, int attempts) {
        return new RegistryClient.Settings("127.0.0.1", port, 5_000, attempts, 50, 400, 8);
    }

    @Test
    void aWholeBatchThroughTheClient() {
        int port = RegistryServer.start(vertx, new JsonObject(), Clock.systemUTC(), 1);
        RegistryClient client = new RegistryClient(vertx, fast(port, 3));
        String brand = "client-1/scan-9/1";
        onContext(() -> client.start(brand, 2));
        RegistryClient.CommitReply first = onContext(() -> client.submit(brand, new JsonObject().put("url", "u1")
                .put("embedding", new JsonArray().add(0.5).add(0.25)).put("s3_path", "s3://b/1")));
        assertFalse(first.shouldCommit());
        RegistryClient.CommitReply again = onContext(() -> client.submit(brand, new JsonObject().put("url", "u1")));
        assertTrue(again.duplicate());
        RegistryClient.CommitReply last = onContext(() -> client.fail(brand, "u2", "HTTP 404"));
        assertTrue(last.shouldCommit());
        assertEquals(1, last.failed());

        JsonArray results = onContext(() -> client.results(brand, 0, 5));
        assertEquals(1, results.size(), "one page holds the whole batch");
        assertEquals(0, onContext(() -> client.results(brand, 1, 5)).size(), "past the end: an empty page");
        assertEquals("s3://b/1", results.getJsonObject(0).getString("s3_path"));
        assertEquals(1, onContext(() -> client.failures(brand)).size());
        assertEquals("leased", onContext(() -> client.status(brand)).getString("commit_state"));
        onContext(() -> client.commitComplete(brand, last.lease()));

        RegistryClient.RegistryClientException refusal = assertThrows(RegistryClient.RegistryClientException.class,
                () -> onContext(() -> client.status(brand)));
        assertEquals(404, refusal.status());
        assertEquals(RegistryError.UNKNOWN_BRAND, refusal.error());
    }

    @Test
    void aStoppingWorkerReleasesItsLeaseAndAnotherClaimsItAtOnce() {
        // A lease of an hour: only the release can make the claim below succeed.
        int port = RegistryServer.start(vertx, new JsonObject().put("lease_ms", 3_600_000), Clock.systemUTC(), 1);
        RegistryClient client = new RegistryClient(vertx, fast(port, 3));
        String brand = "client-1/scan-10/1";
        onContext(() -> client.start(brand, 1));
        String lease = onContext(() -> client.submit(brand, new JsonObject().put("url", "u1"))).lease();
        assertFalse(onContext(() -> client.claimCommit(brand)).shouldCommit());

        RegistryClient.RegistryClientException wrong = assertThrows(RegistryClient.RegistryClientException.class,
                () -> onContext(() -> client.releaseLease(brand, "someone-else")));
        assertEquals(409, wrong.status());
        assertEquals(RegistryError.LEASE_LOST, wrong.error());

        onContext(() -> client.releaseLease(brand, lease));
        RegistryClient.CommitReply claim = onContext(() -> client.claimCommit(brand));
        assertTrue(claim.shouldCommit());
        assertNotEquals(lease, claim.lease());
        RegistryClient.RegistryClientException again = assertThrows(RegistryClient.RegistryClientException.class,
                () -> onContext(() -> client.releaseLease(brand, lease)));
        assertEquals(RegistryError.LEASE_LOST, again.error());
    }

    @Test
    void callsFromAPlainThreadAlwaysComplete() throws Exception {
        int port = RegistryServer.start(vertx, new JsonObject(), Clock.systemUTC(), 2);
        RegistryClient client = new RegistryClient(vertx, fast(port, 3));
        client.start("plain", 1).await();
        // Straight from the test thread, as tools and tests call it; each must finish promptly.
        for (int i = 0; i < 500; i++) {
            assertEquals("plain", client.status("plain").await(10, java.util.concurrent.TimeUnit.SECONDS).getString("brand"));
        }
    }

    @Test
    void connectionErrorsAreRetriedUntilTheRegistryComesUp() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RegistryClient client = new RegistryClient(vertx, fast(port, 20));
        int registryPort = port;
        Promise<JsonObject> health = Promise.promise();
        context.runOnContext(v -> {
            client.health().onComplete(health);
            // Nothing listens yet: the first attempts are refused; the registry appears later.
            vertx.setTimer(300, id -> vertx.deployVerticle(new RegistryVerticle(), new DeploymentOptions().setConfig(new JsonObject()))
                    .compose(x -> vertx.deployVerticle(new RegistryHttpVerticle(), new DeploymentOptions()
                            .setConfig(new JsonObject().put("host", "127.0.0.1").put("port", registryPort)))));
        });
        assertEquals("UP", health.future().await().getString("status"));
    }

    @Test
    void aDeadRegistryFailsAfterTheConfiguredAttempts() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RegistryClient client = new RegistryClient(vertx, fast(port, 3));
        assertThrows(ConnectException.class, () -> onContext(client::health));
    }

    @Test
    void answersAreNeverRetried() {
        AtomicInteger hits = new AtomicInteger();
        int port = onContext(() -> vertx.createHttpServer()
                .requestHandler(req -> {
                    hits.incrementAndGet();
                    req.response().setStatusCode(503).putHeader("content-type", "application/json")
                            .end("{\"error\":\"unavailable\",\"message\":\"busy\"}");
                })
                .listen(0, "127.0.0.1")).actualPort();
        RegistryClient client = new RegistryClient(vertx, fast(port, 5));
        RegistryClient.RegistryClientException refusal = assertThrows(RegistryClient.RegistryClientException.class,
                () -> onContext(() -> client.start("b", 1)));
        assertEquals(503, refusal.status());
        assertEquals(RegistryError.UNAVAILABLE, refusal.error());
        assertEquals(1, hits.get(), "an answer is the registry's word: no retry");
    }
}
