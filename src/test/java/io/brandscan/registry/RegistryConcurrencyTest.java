package io.brandscan.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many workers at once: 200 batches of 50 urls, shuffled across 64 concurrent connections, with
 * 10% duplicate deliveries and some failed urls. Exactly one response per batch may grant the
 * commit, and every batch must end complete with exactly its urls.
 */
class RegistryConcurrencyTest {
    private static final int BATCHES = 200;
    private static final int URLS = 50;
    private static final int CONNECTIONS = 64;

    private Vertx vertx;
    private Context context;

    /** One request a worker makes. */
    record Op(String brand, String url, boolean failure) { }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    @Test
    void exactlyOneCommitPerBatchAndCompleteResultsUnderConcurrentShuffledDelivery() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        int port = RegistryServer.start(vertx, new JsonObject(), Clock.systemUTC(), 2);
        Random random = new Random(42);

        List<Op> ops = new ArrayList<>();
        Map<String, Set<String>> expectedResults = new HashMap<>();
        Map<String, Set<String>> expectedFailures = new HashMap<>();
        Map<String, Integer> duplicatesSent = new HashMap<>();
        for (int b = 0; b < BATCHES; b++) {
            String brand = "client-" + (b % 7) + "/scan-" + b;
            List<Op> batch = new ArrayList<>();
            for (int u = 0; u < URLS; u++) {
                boolean failure = random.nextInt(100) < 4;
                Op op = new Op(brand, "https://cdn.example/" + b + "/" + u + ".jpg", failure);
                batch.add(op);
                (failure ? expectedFailures : expectedResults).computeIfAbsent(brand, k -> new HashSet<>()).add(op.url());
            }
            for (int d = 0; d < URLS / 10; d++) {
                batch.add(batch.get(random.nextInt(URLS)));
            }
            duplicatesSent.put(brand, URLS / 10);
            ops.addAll(batch);
        }
        Collections.shuffle(ops, random);

        AtomicInteger connections = new AtomicInteger();
        HttpClient client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true))
                .with(new PoolOptions().setHttp1MaxSize(CONNECTIONS))
                .withConnectHandler(conn -> connections.incrementAndGet())
                .build();

        List<String> brands = new ArrayList<>(expectedResults.keySet());
        expectedFailures.keySet().forEach(b -> { if (!brands.contains(b)) brands.add(b); });
        Promise<Void> started = Promise.promise();
        context.runOnContext(v -> Future.all(brands.stream().map(b -> call(client, "/start",
                new JsonObject().put("brand", b).put("expected_count", URLS))).toList()).<Void>mapEmpty().onComplete(started));
        started.future().await();

        Map<String, List<JsonObject>> grants = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> duplicatesSeen = new ConcurrentHashMap<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        Promise<Void> done = Promise.promise();
        AtomicInteger lanesLeft = new AtomicInteger(CONNECTIONS);
        context.runOnContext(v -> {
            for (int lane = 0; lane < CONNECTIONS; lane++) {
                runLane(client, ops, next, grants, duplicatesSeen, errors, lanesLeft, done);
            }
        });
        done.future().await();

        assertTrue(errors.isEmpty(), "requests failed: " + errors.stream().limit(5).map(Throwable::toString).toList());
        assertTrue(connections.get() >= CONNECTIONS, "expected at least " + CONNECTIONS + " connections, got " + connections.get());
        for (String brand : brands) {
            List<JsonObject> granted = grants.getOrDefault(brand, List.of());
            assertEquals(1, granted.size(), "exactly one should_commit for " + brand);
            JsonObject grant = granted.get(0);
            assertNotNull(grant.getString("lease"));
            assertEquals(URLS, grant.getInteger("completed"), "the grant goes to the request that completed the batch");
            assertFalse(grant.getBoolean("duplicate"));

            JsonArray results = callAndWait(client, "/results/" + encode(brand)).toJsonArray();
            Set<String> urls = results.stream().map(o -> ((JsonObject) o).getString("url")).collect(Collectors.toSet());
            assertEquals(results.size(), urls.size(), "no url kept twice in " + brand);
            assertEquals(expectedResults.getOrDefault(brand, Set.of()), urls, "results of " + brand);

            JsonObject status = callAndWait(client, "/status/" + encode(brand)).toJsonObject();
            assertEquals(URLS, status.getInteger("completed"));
            assertEquals(expectedFailures.getOrDefault(brand, Set.of()).size(), status.getInteger("failed"));
            assertEquals(duplicatesSent.get(brand).longValue(), status.getLong("duplicates"));
            assertEquals(duplicatesSent.get(brand).intValue(), duplicatesSeen.get(brand).get());
            assertEquals("leased", status.getString("commit_state"));
        }
    }

    private static String encode(String brand) {
        return java.net.URLEncoder.encode(brand, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void runLane(HttpClient client, List<Op> ops, AtomicInteger next, Map<String, List<JsonObject>> grants,
                         Map<String, AtomicInteger> duplicatesSeen, List<Throwable> errors, AtomicInteger lanesLeft,
                         Promise<Void> done) {
        int i = next.getAndIncrement();
        if (i >= ops.size()) {
            if (lanesLeft.decrementAndGet() == 0) {
                done.complete();
            }
            return;
        }
        Op op = ops.get(i);
        JsonObject body = op.failure()
                ? new JsonObject().put("brand", op.brand()).put("url", op.url()).put("error", "HTTP 404 from cdn")
                : new JsonObject().put("brand", op.brand()).put("result", new JsonObject().put("url", op.url())
                        .put("embedding", new JsonArray().add(0.1).add(0.2).add(0.3)).put("s3_path", "s3://b/" + i));
        call(client, op.failure() ? "/fail" : "/submit", body)
                .map(Buffer::toJsonObject)
                .onSuccess(reply -> {
                    if (reply.getBoolean("should_commit")) {
                        grants.computeIfAbsent(op.brand(), k -> Collections.synchronizedList(new ArrayList<>())).add(reply);
                    }
                    if (reply.getBoolean("duplicate")) {
                        duplicatesSeen.computeIfAbsent(op.brand(), k -> new AtomicInteger()).incrementAndGet();
                    }
                })
                .onFailure(errors::add)
                .onComplete(ar -> runLane(client, ops, next, grants, duplicatesSeen, errors, lanesLeft, done));
    }

    /** Runs a call on an event-loop context and waits for it from the test thread. */
    private Buffer callAndWait(HttpClient client, String path) {
        Promise<Buffer> promise = Promise.promise();
        context.runOnContext(v -> call(client, path, null).onComplete(promise));
        return promise.future().await();
    }

    private static Future<Buffer> call(HttpClient client, String path, JsonObject body) {
        RequestOptions options = new RequestOptions().setMethod(body == null ? HttpMethod.GET : HttpMethod.POST)
                .setURI(path).setIdleTimeout(30_000);
        return client.request(options)
                .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
                .compose(resp -> resp.body().compose(b -> resp.statusCode() == 200 ? Future.succeededFuture(b)
                        : Future.failedFuture(new AssertionError(path + " -> " + resp.statusCode() + " " + b))));
    }
}
