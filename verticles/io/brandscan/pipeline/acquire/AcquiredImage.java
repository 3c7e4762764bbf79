package io.brandscan.pipeline.acquire;

import io.brandscan.embedding.image.DecodedImage;
import io.brandscan.embedding.image.ImageFingerprint;

import java.awt.image.BufferedImage;

/**
 * What the worker pool hands back for one downloaded image: the decoded pixels (for the
 * embedding) and their fingerprint, with the size and format the result object records.
 */
record AcquiredImage(BufferedImage pixels, ImageFingerprint fingerprint, int width, int height, String format) {

    /** Decoding's output, fingerprinted. Blocking CPU work: only on a worker thread. */
    static AcquiredImage of(DecodedImage decoded) {
        return new AcquiredImage(decoded.image(), ImageFingerprint.of(decoded.image()), decoded.originalWidth(),
                decoded.originalHeight(), decoded.format().imageIoName());
    }
}
