package io.brandscan.embedding.scoring;

import io.brandscan.embedding.image.ImageFingerprint;
import java.util.Objects;

/**
 * What brandscan keeps of one image to compare it with others: its embedding from the image
 * model and its perceptual-hash fingerprint. Computed once per image (reference or listing) by
 * the embedding worker and the decoder; comparing two signatures is cheap, pure arithmetic.
 *
 * @param embedding   the image model's vector (any length; normalised or not, cosine is used)
 * @param fingerprint the perceptual hashes of the image's views
 */
public record ImageSignature(float[] embedding, ImageFingerprint fingerprint) {

    public ImageSignature {
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (embedding.length == 0) {
            throw new IllegalArgumentException("embedding must not be empty");
        }
    }
}
