package io.brandscan.embedding.scoring;

import io.brandscan.embedding.image.ImageFingerprint;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What brandscan keeps of one image to compare it with others: its embedding from the image
 * model, its perceptual-hash fingerprint and, for reference images, the embeddings of its crop
 * windows ({@link ReferenceViews}). Computed once per image by the embedding worker and the
 * decoder; comparing two signatures is cheap, pure arithmetic.
 *
 * @param embedding      the image model's vector of the whole image (any length; cosine is used)
 * @param fingerprint    the perceptual hashes of the image's views
 * @param cropEmbeddings embeddings of {@link ReferenceViews#crops} in {@link ReferenceViews#NAMES}
 *                       order, for reference images; empty for listing images
 */
public record ImageSignature(float[] embedding, ImageFingerprint fingerprint, List<float[]> cropEmbeddings) {

    public ImageSignature {
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (embedding.length == 0) {
            throw new IllegalArgumentException("embedding must not be empty");
        }
        cropEmbeddings = List.copyOf(cropEmbeddings == null ? List.of() : cropEmbeddings);
        for (float[] c : cropEmbeddings) {
            if (c.length != embedding.length) {
                throw new IllegalArgumentException("crop embeddings must have the length of the embedding ("
                        + embedding.length + "), got " + c.length);
            }
        }
    }

    /** A signature without crop windows (a listing image). */
    public ImageSignature(float[] embedding, ImageFingerprint fingerprint) {
        this(embedding, fingerprint, List.of());
    }

    /**
     * A listing image's signature: hashes it and embeds it whole with {@code embed} (for example
     * {@code ImageEmbedder::embed}, a list in, one vector per image out). Blocking CPU work.
     */
    public static ImageSignature ofListing(BufferedImage image, Function<List<BufferedImage>, List<float[]>> embed) {
        return new ImageSignature(embed.apply(List.of(image)).get(0), ImageFingerprint.of(image));
    }

    /**
     * A reference image's signature: the whole image and its {@link ReferenceViews} crop windows,
     * embedded in one batch. Blocking CPU work (six embeddings).
     */
    public static ImageSignature ofReference(BufferedImage image, Function<List<BufferedImage>, List<float[]>> embed) {
        List<BufferedImage> batch = new ArrayList<>();
        batch.add(image);
        batch.addAll(ReferenceViews.crops(image));
        List<float[]> vectors = embed.apply(batch);
        return new ImageSignature(vectors.get(0), ImageFingerprint.of(image), vectors.subList(1, vectors.size()));
    }
}
