package io.brandscan.embedding.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;

/**
 * How other verticles in the process ask the {@link EmbeddingVerticle} for embeddings: one
 * event-bus request per image, with an explicit delivery timeout so a stalled worker surfaces as
 * a failed future instead of a hung pipeline. Failures are {@code ReplyException}s; read them
 * with {@link EmbeddingFailure#of(Throwable)} ({@code QUEUE_FULL} means back off and retry).
 *
 * <p>Requests from one caller are batched with everyone else's by the worker, so send images as
 * they come; {@link #embedAll(List)} sends several at once.
 */
public final class EmbeddingClient {

    /** Long enough for a full queue of batches on a slow CPU; callers with tighter budgets pass their own. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final DeliveryOptions delivery;

    public EmbeddingClient(Vertx vertx, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.vertx = vertx;
        this.delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis()).setLocalOnly(true);
        LocalPassThroughCodec.registerDefault(vertx.eventBus(), EmbedRequest.class);
        LocalPassThroughCodec.registerDefault(vertx.eventBus(), EmbedReply.class);
    }

    /** One image's embedding within {@code timeout}. */
    public static Future<float[]> embed(Vertx vertx, BufferedImage image, Duration timeout) {
        return new EmbeddingClient(vertx, timeout).embed(image);
    }

    /** One image's embedding. */
    public Future<float[]> embed(BufferedImage image) {
        return request(image).map(EmbedReply::vector);
    }

    /** The full reply, including the size of the batch the image ran in. */
    public Future<EmbedReply> request(BufferedImage image) {
        return vertx.eventBus().<EmbedReply>request(EmbeddingVerticle.ADDRESS, new EmbedRequest(image), delivery)
                .map(message -> message.body());
    }

    /** Several images' embeddings, in order; fails if any fails. */
    public Future<List<float[]>> embedAll(List<BufferedImage> images) {
        List<Future<float[]>> each = images.stream().map(this::embed).toList();
        return Future.all(each).map(all -> each.stream().map(Future::result).toList());
    }
}
