package io.brandscan.launcher;

import io.brandscan.demo.DemoMarketplaceVerticle;
import io.brandscan.launcher.GroupProcesses.GroupProcess;
import io.brandscan.mongo.MongoConnection;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7's production shape on one machine: {@code devservices}, {@code registry}, {@code api},
 * two {@code workers} and {@code push} as separate JVMs on loopback, the five brandscan groups in
 * one Hazelcast cluster. A client made through the API starts a scan of the demo marketplace;
 * a browser-like SSE client on the push node follows it; one worker is killed with SIGKILL in the
 * middle of the scan. The scan still completes, every url committed exactly once, and the SSE
 * stream delivers the events in order, without gaps, up to the completion.
 */
class ClusterScanTest {
    private static final int LISTINGS = 60;
    private static final String ADMIN = "cluster-test-admin-token";
    private static final String SECRET = "cluster-test-jwt-secret-0123456789abcdef";

    private static final GroupProcesses processes = new GroupProcesses("cluster");
    private static Vertx vertx;
    private static HttpClient http;
    private static DemoMarketplaceVerticle market;
    private static JsonObject adapters;
    private static int apiPort;
    private static int pushPort;
    private static GroupProcess workersA;
    private static GroupProcess workersB;

    @BeforeAll
    static void startCluster() throws Exception {
        vertx = Vertx.vertx();
        http = vertx.createHttpClient();
        market = new DemoMarketplaceVerticle();
        vertx.deployVerticle(market, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
                .put("size", LISTINGS))).await();
        String marketHost = "127.0.0.1:" + market.actualPort();
        int sqsPort = GroupProcesses.freePort();
        int s3Port = GroupProcesses.freePort();
        int mongoPort = GroupProcesses.freePort();
        int registryPort = GroupProcesses.freePort();
        apiPort = GroupProcesses.freePort();
        pushPort = GroupProcesses.freePort();
        List<Integer> hazelcast = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hazelcast.add(GroupProcesses.freePort());
        }
        JsonArray members = new JsonArray(hazelcast.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.toList()));
        String clusterName = "brandscan-test-" + ProcessHandle.current().pid();

        GroupProcess devservices = processes.start("devservices", "devservices", new JsonObject()
                .put("devservices", new JsonObject()
                        .put("sqs", new JsonObject().put("port", sqsPort))
                        .put("s3", new JsonObject().put("port", s3Port).put("directory", ""))
                        .put("mongo", new JsonObject().put("port", mongoPort).put("h2_file", "")))
                .put("ops", new JsonObject().put("port", -1)), "-Xmx384m");
        processes.awaitUp(devservices, sqsPort, s3Port, mongoPort);
        adapters = new JsonObject()
                .put("sqs", new JsonObject().put("endpoint", "http://127.0.0.1:" + sqsPort).put("access_key", "x")
                        .put("secret_key", "x").put("create_queues", true).put("wait_time_s", 1)
                        .put("visibility_timeout_s", 8))
                .put("s3", new JsonObject().put("endpoint", "http://127.0.0.1:" + s3Port).put("access_key", "brandscan")
                        .put("secret_key", "brandscan-secret").put("path_style", true).put("create_bucket", true))
                .put("mongo", new JsonObject().put("connection_string", "mongodb://127.0.0.1:" + mongoPort)
                        .put("db_name", "brandscan"))
                .put("ops", new JsonObject().put("port", -1));

        GroupProcess registry = processes.start("registry", "registry", cluster(clusterName, hazelcast.get(0), members)
                .put("registry", new JsonObject().put("host", "127.0.0.1").put("port", registryPort).put("lease_ms", 4000)),
                "-Xmx256m", "-cluster");
        GroupProcess api = processes.start("api", "api", cluster(clusterName, hazelcast.get(1), members)
                .mergeIn(adapters.copy())
                .put("api", new JsonObject().put("host", "127.0.0.1").put("port", apiPort).put("admin_token", ADMIN)
                        .put("jwt_secret", SECRET))
                .put("schedule", new JsonObject().put("enabled", false)), "-Xmx384m", "-cluster");
        GroupProcess push = processes.start("push", "push", cluster(clusterName, hazelcast.get(2), members)
                .mergeIn(adapters.copy())
                .put("push", new JsonObject().put("host", "127.0.0.1").put("port", pushPort).put("jwt_secret", SECRET)),
                "-Xmx256m", "-cluster");
        JsonObject workers = adapters.copy()
                .put("registry_client", new JsonObject().put("host", "127.0.0.1").put("port", registryPort))
                .put("gather", new JsonObject().put("allow", new JsonArray().add(marketHost)))
                .put("download", new JsonObject().put("allow", new JsonArray().add(marketHost)))
                .put("acquire", new JsonObject().put("max_in_flight", 4).put("sweep_interval_ms", 1000)
                        .put("stuck_after_ms", 4000))
                .put("watchdog", new JsonObject().put("interval_ms", 2000).put("stale_after_ms", 30000));
        workersA = processes.start("workers-a", "workers", cluster(clusterName, hazelcast.get(3), members)
                .mergeIn(workers.copy()), "-Xmx512m", "-cluster");
        workersB = processes.start("workers-b", "workers", cluster(clusterName, hazelcast.get(4), members)
                .mergeIn(workers.copy()), "-Xmx512m", "-cluster");
        processes.awaitUp(registry, registryPort);
        processes.awaitUp(api, apiPort);
        processes.awaitUp(push, pushPort);
        processes.awaitUp(workersA);
        processes.awaitUp(workersB);
    }

    private static JsonObject cluster(String name, int port, JsonArray members) {
        return new JsonObject().put("cluster", new JsonObject().put("name", name).put("host", "127.0.0.1")
                .put("port", port).put("members", members.copy()));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        processes.close();
        if (vertx != null) {
            vertx.close().await();
        }
    }

    @Test
    void aScanThroughTheApiSurvivesAWorkerKilledMidScanAndItsEventsReachThePushNode() throws Exception {
        JsonObject client = call(HttpMethod.POST, apiPort, "/api/v1/clients", ADMIN, new JsonObject().put("name", "Astra"), 201);
        String key = client.getString("api_key");
        call(HttpMethod.POST, apiPort, "/api/v1/users", key, new JsonObject().put("email", "ana@astra.test")
                .put("password", "a long enough password 1").put("role", "analyst"), 201);
        String token = call(HttpMethod.POST, apiPort, "/api/v1/auth/login", null, new JsonObject()
                .put("client_id", client.getString("id")).put("email", "ana@astra.test")
                .put("password", "a long enough password 1"), 200).getString("token");
        JsonObject brand = market.brandDocument().put("schedule", new JsonObject().put("type", "manual"));
        call(HttpMethod.PUT, apiPort, "/api/v1/brands/astra", key, brand, 201);
        String scanId = call(HttpMethod.POST, apiPort, "/api/v1/scans", key, new JsonObject().put("brand_id", "astra"),
                202).getString("id");

        // A browser-like SSE client on the push node, from the first event.
        List<Long> seen = new CopyOnWriteArrayList<>();
        List<String> types = new CopyOnWriteArrayList<>();
        StringBuilder pending = new StringBuilder();
        HttpClientResponse stream = http.request(new RequestOptions().setHost("127.0.0.1").setPort(pushPort)
                        .setURI("/api/v1/scans/" + scanId + "/events?access_token=" + token))
                .compose(req -> req.send()).await();
        assertEquals(200, stream.statusCode());
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        stream.endHandler(v -> ended.set(true));
        Pattern event = Pattern.compile("id: (\\d+)\\nevent: (\\w+)\\n");
        stream.handler(chunk -> {
            synchronized (pending) {
                pending.append(chunk.toString());
                Matcher m = event.matcher(pending);
                int end = 0;
                while (m.find()) {
                    seen.add(Long.parseLong(m.group(1)));
                    types.add(m.group(2));
                    end = m.end();
                }
                pending.delete(0, end);
            }
        });

        // Kill one worker with SIGKILL in the middle of the acquire phase.
        JsonObject scan = waitFor(key, scanId, s -> s.getJsonObject("counts").getLong("acquired") >= 10
                || isTerminal(s), 240);
        assertEquals("acquiring", scan.getString("state"), "still acquiring when the worker is killed");
        workersA.process().destroyForcibly();
        assertTrue(workersA.process().waitFor(20, TimeUnit.SECONDS));

        JsonObject done = waitFor(key, scanId, ClusterScanTest::isTerminal, 300);
        assertEquals("complete", done.getString("state"), done.encodePrettily() + processes.diagnostics());
        assertEquals(LISTINGS, done.getJsonObject("counts").getLong("committed"));
        MongoClient mongo = MongoConnection.client(vertx, adapters.getJsonObject("mongo"));
        List<JsonObject> docs = mongo.find("listings", new JsonObject().put("scan_id", scanId)).await();
        Map<String, Long> perUrl = docs.stream().collect(Collectors.groupingBy(d -> d.getString("url"), Collectors.counting()));
        assertEquals(LISTINGS, perUrl.size(), "every url committed");
        perUrl.forEach((url, n) -> assertEquals(1L, n, url + " committed twice"));

        // The push node ends the stream after the scan's terminal state event.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ended.get() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(ended.get(), "the SSE stream ended after the completion; got " + seen.size() + " events");
        assertTrue(seen.size() >= 5, "queued, gathering, acquiring, ..., complete: " + types);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1L, seen.get(i), "SSE events in order without gaps: " + seen);
        }
        assertEquals("state", types.get(types.size() - 1), "the last event is the completion: " + types);
    }

    private static boolean isTerminal(JsonObject scan) {
        return List.of("complete", "failed", "cancelled").contains(scan.getString("state"));
    }

    private static JsonObject waitFor(String key, String scanId, java.util.function.Predicate<JsonObject> done,
                                      long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonObject scan = null;
        while (System.nanoTime() < deadline) {
            processes.requireAlive(workersA);
            scan = call(HttpMethod.GET, apiPort, "/api/v1/scans/" + scanId, key, null, 200);
            if (done.test(scan)) {
                return scan;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("scan did not get there: " + scan + processes.diagnostics());
    }

    private static JsonObject call(HttpMethod method, int port, String path, String token, JsonObject body, int expected) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        if (body != null) {
            options.putHeader("content-type", "application/json");
        }
        // Started on a Vert.x context: Vert.x 5.0.10's client can stall when driven from a plain thread.
        return vertx.getOrCreateContext().<Void>executeBlocking(() -> null).compose(x -> http.request(options)
                        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
                        .compose(resp -> resp.body().map(b -> {
                            if (resp.statusCode() != expected) {
                                throw new AssertionError(method + " " + path + " answered " + resp.statusCode() + ": " + b);
                            }
                            return b.length() == 0 ? new JsonObject() : new JsonObject(b);
                        })))
                .await();
    }
}
