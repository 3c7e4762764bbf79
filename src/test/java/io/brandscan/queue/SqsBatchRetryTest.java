package io.brandscan.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Partial batch failures, which ElasticMQ cannot be made to produce on purpose: a loopback HTTP
 * server on port 0 answers SendMessageBatch in SQS's JSON protocol, failing chosen entries the
 * way SQS does (server faults that deserve a retry, sender faults that do not).
 */
class SqsBatchRetryTest {
    private Vertx vertx;
    private HttpServer server;
    private final Map<String, AtomicInteger> attemptsPerBody = new ConcurrentHashMap<>();
    private SqsBroker broker;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String target = req.getHeader("X-Amz-Target");
            JsonObject in = body.toJsonObject();
            JsonObject out = switch (target) {
                case "AmazonSQS.GetQueueUrl" -> new JsonObject().put("QueueUrl",
                        "http://127.0.0.1:" + server.actualPort() + "/000000000000/" + in.getString("QueueName"));
                case "AmazonSQS.SendMessageBatch" -> sendMessageBatch(in);
                default -> null;
            };
            if (out == null) {
                req.response().setStatusCode(400).end("{\"__type\":\"UnsupportedOperation\",\"message\":\"" + target + "\"}");
                return;
            }
            req.response().putHeader("Content-Type", "application/x-amz-json-1.0").end(out.encode());
        })).listen(0, "127.0.0.1"));
        broker = SqsBroker.create(vertx, QueueSettings.fromJson(new JsonObject()
                .put("endpoint", "http://127.0.0.1:" + server.actualPort())
                .put("send_retries", 2)));
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
        await(vertx.close());
    }

    /** "flaky-*" bodies fail once with a server fault; "rejected-*" always fail as the sender's fault. */
    private JsonObject sendMessageBatch(JsonObject in) {
        JsonArray ok = new JsonArray();
        JsonArray failed = new JsonArray();
        for (Object o : in.getJsonArray("Entries")) {
            JsonObject entry = (JsonObject) o;
            String body = entry.getString("MessageBody");
            int attempt = attemptsPerBody.computeIfAbsent(body, b -> new AtomicInteger()).incrementAndGet();
            if (body.startsWith("rejected")) {
                failed.add(new JsonObject().put("Id", entry.getString("Id")).put("SenderFault", true)
                        .put("Code", "InvalidMessageContents").put("Message", "bad characters"));
            } else if (body.startsWith("flaky") && attempt == 1) {
                failed.add(new JsonObject().put("Id", entry.getString("Id")).put("SenderFault", false)
                        .put("Code", "InternalError").put("Message", "try again"));
            } else {
                ok.add(new JsonObject().put("Id", entry.getString("Id")).put("MessageId", "m-" + body)
                        .put("MD5OfMessageBody", md5(body)));
            }
        }
        return new JsonObject().put("Successful", ok).put("Failed", failed);
    }

    @Test
    void serverSideEntryFailuresAreRetriedUntilSent() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            bodies.add((i % 4 == 0 ? "flaky-" : "fine-") + i);
        }
        await(broker.open("acquire").compose(q -> q.sendBatch(bodies)));

        for (String body : bodies) {
            assertEquals(body.startsWith("flaky") ? 2 : 1, attemptsPerBody.get(body).get(), body);
        }
    }

    @Test
    void senderFaultsAreNotRetriedButReportedByBody() throws Exception {
        List<String> bodies = List.of("fine-1", "rejected-1", "flaky-1", "fine-2", "rejected-2");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> await(broker.open("acquire").compose(q -> q.sendBatch(bodies))));

        UndeliveredMessagesException undelivered = assertInstanceOf(UndeliveredMessagesException.class, e.getCause());
        assertEquals(List.of("rejected-1", "rejected-2"),
                undelivered.undelivered().stream().map(UndeliveredMessagesException.Undelivered::body).sorted().toList());
        assertEquals(3, undelivered.delivered());
        assertEquals("InvalidMessageContents", undelivered.undelivered().get(0).code());
        assertEquals(1, attemptsPerBody.get("rejected-1").get(), "a sender fault is not retried");
        assertEquals(2, attemptsPerBody.get("flaky-1").get(), "a server fault in the same batch is");
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
