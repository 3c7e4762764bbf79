package io.brandscan.embedding.scoring;

import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImageEmbedder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Signatures of the real test images, made with the real MobileNetV2 (loaded once per test JVM). */
final class Signatures {
    private static ImageEmbedder embedder;

    private Signatures() {
    }

    static synchronized ImageEmbedder embedder() {
        if (embedder == null) {
            embedder = ImageEmbedder.load(EmbeddingModelSpec.defaults());
        }
        return embedder;
    }

    static BufferedImage image(String name) {
        try (InputStream in = Signatures.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test image " + name);
            }
            return ImageDecoder.withDefaults().decode(in.readAllBytes()).image();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reference image's signature: whole image and crop windows. */
    static ImageSignature reference(String name) {
        return ImageSignature.ofReference(image(name), embedder()::embed);
    }

    static ImageSignature reference(BufferedImage image) {
        return ImageSignature.ofReference(image, embedder()::embed);
    }

    /** A listing image's signature: the whole image only. */
    static ImageSignature of(String name) {
        return of(image(name));
    }

    static ImageSignature of(BufferedImage image) {
        return new ImageSignature(embedder().embed(image), ImageFingerprint.of(image));
    }
}
