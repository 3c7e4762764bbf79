package io.brandscan.embedding.worker;

import io.vertx.core.eventbus.ReplyException;
import java.util.Optional;

/**
 * Why the embedding worker refused or failed a request: the {@code failureCode} of the
 * {@code message.fail} answer, so callers can tell "try later" from "never works".
 */
public enum EmbeddingFailure {
    /** The body was not an {@link EmbedRequest} with an image: the caller's bug, do not retry. */
    BAD_REQUEST(400),
    /** The bounded queue is full: back off and retry, or shed load. */
    QUEUE_FULL(503),
    /** The worker is stopping; waiting requests are answered with this instead of being dropped. */
    SHUTTING_DOWN(504),
    /** ONNX Runtime failed on the batch. */
    INFERENCE_FAILED(500);

    private final int code;

    EmbeddingFailure(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The failure a reply carried, if it came from the embedding worker (not a timeout, say). */
    public static Optional<EmbeddingFailure> of(Throwable failure) {
        if (failure instanceof ReplyException reply) {
            for (EmbeddingFailure f : values()) {
                if (f.code == reply.failureCode()) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }
}
