package io.brandscan.embedding.worker;

import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.ops.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The image-embedding worker: consumes {@link EmbedRequest}s on {@link #ADDRESS} (local only),
 * micro-batches them with a {@link BatchQueue} and runs each batch through its
 * {@link ImageEmbedder} on a named worker pool, never on the event loop. Replies are
 * {@link EmbedReply}s; refusals and failures are {@code message.fail} with an
 * {@link EmbeddingFailure} code. Use {@link EmbeddingClient} to call it.
 *
 * <p>Owns the embedder (loaded in {@link #start()}, closed in {@link #stop()}) and the queue. Deploy
 * one instance per process; scale inference with {@code workers}. Configuration: see
 * {@link EmbeddingWorkerConfig}.
 */
public final class EmbeddingVerticle extends VerticleBase {

    /** Where embedding requests go: an {@link EmbedRequest} body, an {@link EmbedReply} answer. */
    public static final String ADDRESS = "brandscan.embedding.embed";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingVerticle.class);

    private record Pending(BufferedImage image, Message<Object> message) {
    }

    private final Clock clock;
    private EmbeddingWorkerConfig conf;
    private WorkerExecutor executor;
    private ImageEmbedder embedder;
    private BatchQueue<Pending> queue;
    private MessageConsumer<Object> consumer;
    private long flushTimer = -1;
    private Promise<Void> idle;

    public EmbeddingVerticle() {
        this(Clock.systemUTC());
    }

    /** With a clock for the batching deadlines. */
    public EmbeddingVerticle(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        try {
            conf = EmbeddingWorkerConfig.fromMap(configMap(config()));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        LocalPassThroughCodec.registerDefault(vertx.eventBus(), EmbedRequest.class);
        LocalPassThroughCodec.registerDefault(vertx.eventBus(), EmbedReply.class);
        executor = vertx.createSharedWorkerExecutor(conf.workerPool(), conf.workers(), 10, TimeUnit.MINUTES);
        queue = new BatchQueue<>(conf.maxBatch(), conf.maxWait(), conf.maxQueue(), conf.workers(), clock);
        return executor.executeBlocking(() -> ImageEmbedder.load(conf.model()))
                .compose(loaded -> {
                    embedder = loaded;
                    consumer = vertx.eventBus().localConsumer(ADDRESS, this::onRequest);
                    return consumer.completion();
                })
                .onSuccess(v -> LOG.info("embedding worker on {}: max_batch={} max_wait_ms={} max_queue={} workers={} provider={}",
                        ADDRESS, conf.maxBatch(), conf.maxWait().toMillis(), conf.maxQueue(), conf.workers(),
                        embedder.executionProvider()));
    }

    private void onRequest(Message<Object> message) {
        if (!(message.body() instanceof EmbedRequest request) || request.image() == null) {
            message.fail(EmbeddingFailure.BAD_REQUEST.code(),
                    "embedding request must be an EmbedRequest with an image, got " + describe(message.body()));
            return;
        }
        if (idle != null) {
            message.fail(EmbeddingFailure.SHUTTING_DOWN.code(), "embedding worker is stopping");
            return;
        }
        if (!queue.offer(new Pending(request.image(), message))) {
            Meters.registry().counter("brandscan.embedding.rejected", "reason", "queue_full").increment();
            message.fail(EmbeddingFailure.QUEUE_FULL.code(), "embedding queue full: " + queue.waiting()
                    + " requests waiting (max_queue=" + queue.maxQueue() + "); retry later");
            return;
        }
        dispatch();
    }

    /** Starts every batch that is ready, then makes sure a timer will flush what is left. */
    private void dispatch() {
        for (List<Pending> batch = queue.takeReady(); !batch.isEmpty(); batch = queue.takeReady()) {
            run(batch);
        }
        if (flushTimer < 0 && queue.hasFreeSlot()) {
            queue.timeUntilDue().ifPresent(due -> {
                long delay = Math.max(1, ceilMillis(due));
                flushTimer = vertx.setTimer(delay, id -> {
                    flushTimer = -1;
                    dispatch();
                });
            });
        }
    }

    private void run(List<Pending> batch) {
        List<BufferedImage> images = batch.stream().map(Pending::image).toList();
        MeterRegistry meters = Meters.registry();
        meters.summary("brandscan.embedding.batch.size").record(batch.size());
        long started = System.nanoTime();
        // unordered: batches run side by side on the pool's threads, one predictor per thread
        executor.<List<float[]>>executeBlocking(() -> embedder.embed(images), false)
                .onComplete(result -> {
                    queue.release();
                    meters.timer("brandscan.embedding.batch", "outcome", result.succeeded() ? "ok" : "failed")
                            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    meters.counter("brandscan.embedding.images").increment(batch.size());
                    if (result.succeeded()) {
                        List<float[]> vectors = result.result();
                        for (int i = 0; i < batch.size(); i++) {
                            batch.get(i).message().reply(new EmbedReply(vectors.get(i), batch.size()));
                        }
                    } else {
                        LOG.error("embedding batch of {} failed", batch.size(), result.cause());
                        batch.forEach(p -> p.message().fail(EmbeddingFailure.INFERENCE_FAILED.code(),
                                "embedding failed: " + result.cause().getMessage()));
                    }
                    if (idle != null && queue.inFlight() == 0) {
                        idle.tryComplete();
                    }
                    if (idle == null) {
                        dispatch();
                    }
                });
    }

    @Override
    public Future<?> stop() {
        idle = Promise.promise();
        if (flushTimer >= 0) {
            vertx.cancelTimer(flushTimer);
        }
        Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
        if (queue != null) {
            queue.drainWaiting().forEach(p -> p.message().fail(EmbeddingFailure.SHUTTING_DOWN.code(),
                    "embedding worker stopped before this request ran"));
        }
        if (queue == null || queue.inFlight() == 0) {
            idle.tryComplete();
        }
        return unregistered
                .compose(v -> idle.future())
                .compose(v -> embedder == null ? Future.succeededFuture() : executor.executeBlocking(() -> {
                    embedder.close();
                    return null;
                }))
                .eventually(() -> executor == null ? Future.succeededFuture() : executor.close());
    }

    /** The verticle's conf as plain maps, so the pure config classes need no Vert.x types. */
    private static Map<String, Object> configMap(JsonObject config) {
        Map<String, Object> map = new HashMap<>(config.getMap());
        Object model = map.get("model");
        if (model instanceof JsonObject json) {
            map.put("model", json.getMap());
        }
        return map;
    }

    private static long ceilMillis(Duration d) {
        long ms = d.toMillis();
        return d.minusMillis(ms).isZero() ? ms : ms + 1;
    }

    private static String describe(Object body) {
        return body == null ? "null" : body.getClass().getName();
    }
}
