package io.brandscan.embedding.worker;

/**
 * The answer to an {@link EmbedRequest}, passed by reference.
 *
 * @param vector the embedding (L2-normalised unless the model spec says otherwise); do not modify
 * @param batchSize how many requests shared the inference call (for metrics and tests)
 */
public record EmbedReply(float[] vector, int batchSize) {
}
