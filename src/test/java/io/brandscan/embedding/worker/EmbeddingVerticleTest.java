package io.brandscan.embedding.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.model.TestImages;
import io.vertx.core.AsyncResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real verticle on a real Vert.x with the real model. */
@ExtendWith(VertxExtension.class)
class EmbeddingVerticleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static ImageEmbedder reference;
    private static List<BufferedImage> images;

    @BeforeAll
    static void load() {
        reference = ImageEmbedder.load(EmbeddingModelSpec.defaults());
        images = new ArrayList<>();
        for (String name : TestImages.NAMES) {
            BufferedImage original = TestImages.load(name);
            images.add(original);
            images.add(TestImages.scaled(original, 0.5));
        }
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    private static Future<String> deploy(Vertx vertx, JsonObject conf) {
        return vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(conf));
    }

    /** Every request's outcome, success or failure, once all are done. */
    private static Future<List<AsyncResult<EmbedReply>>> sendAll(Vertx vertx, List<BufferedImage> batch) {
        EmbeddingClient client = new EmbeddingClient(vertx, TIMEOUT);
        Promise<List<AsyncResult<EmbedReply>>> done = Promise.promise();
        // From one event-loop task, so all requests arrive together like a burst from a pipeline.
        vertx.runOnContext(v -> {
            List<Future<AsyncResult<EmbedReply>>> outcomes = batch.stream()
                    .map(image -> client.request(image).<AsyncResult<EmbedReply>>transform(Future::succeededFuture))
                    .toList();
            Future.all(outcomes).map(all -> outcomes.stream().map(Future::result).toList()).onComplete(done);
        });
        return done.future();
    }

    @Test
    void concurrentRequestsAreBatchedUpToMaxBatchAndMatchTheUnbatchedEmbedder(Vertx vertx, VertxTestContext ctx) {
        List<BufferedImage> twenty = images.subList(0, 20);
        JsonObject conf = new JsonObject().put("max_batch", 8).put("max_wait_ms", 50).put("workers", 1);
        deploy(vertx, conf)
                .compose(id -> sendAll(vertx, twenty))
                .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
                    assertEquals(20, outcomes.size());
                    int largest = 0;
                    for (int i = 0; i < outcomes.size(); i++) {
                        AsyncResult<EmbedReply> outcome = outcomes.get(i);
                        assertTrue(outcome.succeeded(), "request " + i + ": " + outcome.cause());
                        EmbedReply reply = outcome.result();
                        assertTrue(reply.batchSize() >= 1 && reply.batchSize() <= 8, "batch " + reply.batchSize());
                        largest = Math.max(largest, reply.batchSize());
                        // the right vector for the right request: compare with this image alone
                        assertArrayEquals(reference.embed(twenty.get(i)), reply.vector(), 1e-5f, "request " + i);
                    }
                    assertEquals(8, largest, "a burst of 20 fills at least one batch of 8");
                    ctx.completeNow();
                })));
    }

    @Test
    void maxWaitFlushesALoneRequest(Vertx vertx, VertxTestContext ctx) {
        JsonObject conf = new JsonObject().put("max_batch", 16).put("max_wait_ms", 20);
        BufferedImage rocket = images.get(2 * TestImages.NAMES.indexOf("rocket.jpg"));
        deploy(vertx, conf)
                .compose(id -> new EmbeddingClient(vertx, TIMEOUT).request(rocket))
                .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
                    assertEquals(1, reply.batchSize());
                    assertEquals(1280, reply.vector().length);
                    assertEquals(1.0, TestImages.norm(reply.vector()), 1e-4);
                    assertArrayEquals(reference.embed(rocket), reply.vector(), 1e-5f);
                    ctx.completeNow();
                })));
    }

    @Test
    void aFullQueueRefusesAtOnceAndLosesNothing(Vertx vertx, VertxTestContext ctx) {
        List<BufferedImage> forty = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            forty.add(images.get(i % images.size()));
        }
        JsonObject conf = new JsonObject().put("max_batch", 2).put("max_wait_ms", 0).put("max_queue", 4).put("workers", 1);
        deploy(vertx, conf)
                .compose(id -> sendAll(vertx, forty))
                .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
                    int succeeded = 0;
                    int refused = 0;
                    for (int i = 0; i < outcomes.size(); i++) {
                        AsyncResult<EmbedReply> outcome = outcomes.get(i);
                        if (outcome.succeeded()) {
                            succeeded++;
                            assertArrayEquals(reference.embed(forty.get(i)), outcome.result().vector(), 1e-5f);
                        } else {
                            refused++;
                            assertEquals(Optional.of(EmbeddingFailure.QUEUE_FULL), EmbeddingFailure.of(outcome.cause()),
                                    outcome.cause().toString());
                            assertTrue(outcome.cause().getMessage().startsWith("embedding queue full: "));
                        }
                    }
                    assertEquals(40, succeeded + refused, "every request answered exactly once");
                    assertTrue(refused > 0, "a burst of 40 into a queue of 4 must be refused in part");
                    // at most: one batch of 2 in flight plus 4 waiting when the burst lands
                    assertTrue(succeeded >= 4 && succeeded <= 6, "succeeded " + succeeded);
                    ctx.completeNow();
                })));
    }

    @Test
    void undeployingAnswersWaitingRequestsInsteadOfDroppingThem(Vertx vertx, VertxTestContext ctx) {
        List<BufferedImage> ten = images.subList(0, 10);
        JsonObject conf = new JsonObject().put("max_batch", 1).put("max_wait_ms", 0).put("workers", 1);
        deploy(vertx, conf)
                .compose(id -> {
                    Future<List<AsyncResult<EmbedReply>>> outcomes = sendAll(vertx, ten);
                    // queued on the same event loop after the ten deliveries: one runs, nine wait
                    vertx.runOnContext(v -> vertx.undeploy(id));
                    return outcomes;
                })
                .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
                    int succeeded = 0;
                    int stopped = 0;
                    for (int i = 0; i < outcomes.size(); i++) {
                        AsyncResult<EmbedReply> outcome = outcomes.get(i);
                        if (outcome.succeeded()) {
                            succeeded++;
                            assertArrayEquals(reference.embed(ten.get(i)), outcome.result().vector(), 1e-5f);
                        } else {
                            assertEquals(Optional.of(EmbeddingFailure.SHUTTING_DOWN), EmbeddingFailure.of(outcome.cause()),
                                    outcome.cause().toString());
                            stopped++;
                        }
                    }
                    assertEquals(10, succeeded + stopped);
                    assertTrue(succeeded >= 1, "the batch in flight finishes and is answered");
                    assertTrue(stopped >= 1, "waiting requests are refused, not dropped");
                    ctx.completeNow();
                })));
    }

    @Test
    void cudaRequestedOnThisCpuMachineStillEmbeds(Vertx vertx, VertxTestContext ctx) {
        JsonObject conf = new JsonObject().put("model", new JsonObject().put("execution_provider", "cuda"));
        BufferedImage coins = images.get(2 * TestImages.NAMES.indexOf("coins.png"));
        deploy(vertx, conf)
                .compose(id -> EmbeddingClient.embed(vertx, coins, TIMEOUT))
                .onComplete(ctx.succeeding(vector -> ctx.verify(() -> {
                    assertArrayEquals(reference.embed(coins), vector, 1e-5f);
                    ctx.completeNow();
                })));
    }

    @Test
    void aBodyThatIsNotAnImageRequestIsRefused(Vertx vertx, VertxTestContext ctx) {
        deploy(vertx, new JsonObject())
                .compose(id -> vertx.eventBus().request(EmbeddingVerticle.ADDRESS, "not an image",
                        new DeliveryOptions().setSendTimeout(TIMEOUT.toMillis())))
                .onComplete(ctx.failing(e -> ctx.verify(() -> {
                    assertEquals(Optional.of(EmbeddingFailure.BAD_REQUEST), EmbeddingFailure.of(e));
                    ctx.completeNow();
                })));
    }

    @Test
    void badConfigurationFailsDeploymentNamingTheField(Vertx vertx, VertxTestContext ctx) {
        deploy(vertx, new JsonObject().put("max_batch", 0))
                .recover(e -> {
                    ctx.verify(() -> assertTrue(e.getMessage().contains("'max_batch'"), e.getMessage()));
                    return deploy(vertx, new JsonObject().put("model", new JsonObject().put("output_name", "logits")));
                })
                .onComplete(ctx.failing(e -> ctx.verify(() -> {
                    assertTrue(e.getMessage().contains("'output_name'"), e.getMessage());
                    ctx.completeNow();
                })));
    }

    @Test
    void withoutAWorkerTheClientTimesOutOrFindsNoHandler(Vertx vertx, VertxTestContext ctx) {
        new EmbeddingClient(vertx, Duration.ofMillis(200)).embed(images.get(0))
                .onComplete(ctx.failing(e -> ctx.verify(() -> {
                    assertTrue(EmbeddingFailure.of(e).isEmpty(), "not a worker failure: " + e);
                    ctx.completeNow();
                })));
    }
}
