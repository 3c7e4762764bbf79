package io.brandscan.embedding.worker;

import java.awt.image.BufferedImage;

/**
 * A request to embed one decoded image, sent on {@link EmbeddingVerticle#ADDRESS} by reference
 * (local pass-through codec): the image is never copied or serialised, so the sender must not
 * change it until the reply arrives.
 *
 * @param image the decoded image, any size
 */
public record EmbedRequest(BufferedImage image) {
}
