package io.brandscan.embedding.image;

import java.awt.image.BufferedImage;

/**
 * A decoded image ready for hashing and embedding: TYPE_INT_RGB, upright (EXIF orientation
 * applied), alpha flattened onto white, possibly subsampled. The other fields say where it came
 * from, for logs and for the reviewer's breakdown.
 *
 * @param image            the pixels; treat as read-only (BufferedImage cannot be made immutable)
 * @param format           the format sniffed from the magic bytes
 * @param originalWidth    width declared by the file, before orientation and subsampling
 * @param originalHeight   height declared by the file, before orientation and subsampling
 * @param subsampling      the integer source subsampling used (1 = full resolution)
 * @param exifOrientation  the EXIF orientation that was applied, 1..8 (1 = none found or normal)
 */
public record DecodedImage(
        BufferedImage image,
        ImageFormat format,
        int originalWidth,
        int originalHeight,
        int subsampling,
        int exifOrientation) {

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }
}
