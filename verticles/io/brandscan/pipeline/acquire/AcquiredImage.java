package io.brandscan.pipeline.acquire;

import io.brandscan.embedding.image.DecodedImage;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.model.ImagePreprocessor;

import java.awt.image.BufferedImage;

/**
 * What the worker pool hands back for one downloaded image: the pixels for the embedding (already
 * at the model's input size when a preprocessor is given) and the fingerprint of the full decoded
 * image, with the size and format the result object records.
 */
record AcquiredImage(BufferedImage pixels, ImageFingerprint fingerprint, int width, int height, String format) {

    /**
     * Decoding's output, fingerprinted at full size and, with {@code resize} (null: as decoded),
     * resized for the model the way the embedding worker would do it, so its embedding is the same.
     * Blocking CPU work: only on a worker thread.
     */
    static AcquiredImage of(DecodedImage decoded, ImagePreprocessor resize) {
        BufferedImage image = decoded.image();
        BufferedImage pixels = resize == null ? image : resize.resize(image);
        return new AcquiredImage(pixels, ImageFingerprint.of(image), decoded.originalWidth(),
                decoded.originalHeight(), decoded.format().imageIoName());
    }
}
