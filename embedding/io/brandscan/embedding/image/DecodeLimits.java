package io.brandscan.embedding.image;

/**
 * What {@link ImageDecoder} accepts and how large it decodes.
 *
 * @param maxPixels    refuse images whose header declares more than this many pixels
 *                     (width x height), before any pixel is decoded. Conf key {@code max_pixels},
 *                     default 40,000,000 (a 40 MP image; product photos are far smaller).
 * @param decodeMaxSide decode large images with integer source subsampling so that the longer
 *                     side stays at least this many pixels (never below it); 0 turns subsampling
 *                     off. Conf key {@code decode_max_side}, default 1024: hashes need 32x32 and
 *                     the embedding 224x224, so 1024 leaves room for crops and trimming while a
 *                     40 MP image costs about 4 MB instead of 160 MB.
 * @param maxJpegScans  refuse JPEGs with more scans (SOS segments) than this: each progressive
 *                     scan is a pass over the whole image, so a few KB of repeated scans can keep
 *                     a core busy for minutes. Conf key {@code max_jpeg_scans}, default 100
 *                     (encoders write 1 to about 20).
 */
public record DecodeLimits(long maxPixels, int decodeMaxSide, int maxJpegScans) {

    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final int DEFAULT_DECODE_MAX_SIDE = 1024;
    public static final int DEFAULT_MAX_JPEG_SCANS = 100;
    public static final DecodeLimits DEFAULTS =
            new DecodeLimits(DEFAULT_MAX_PIXELS, DEFAULT_DECODE_MAX_SIDE, DEFAULT_MAX_JPEG_SCANS);

    public DecodeLimits {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max_pixels must be at least 1, got " + maxPixels);
        }
        if (decodeMaxSide < 0) {
            throw new IllegalArgumentException("decode_max_side must be 0 (off) or positive, got " + decodeMaxSide);
        }
        if (maxJpegScans < 1) {
            throw new IllegalArgumentException("max_jpeg_scans must be at least 1, got " + maxJpegScans);
        }
    }

    /** These pixel and size limits with the default scan limit. */
    public DecodeLimits(long maxPixels, int decodeMaxSide) {
        this(maxPixels, decodeMaxSide, DEFAULT_MAX_JPEG_SCANS);
    }

    /** The integer subsampling factor for an image of this size: 1 when no subsampling is needed. */
    int subsamplingFor(int width, int height) {
        if (decodeMaxSide == 0) {
            return 1;
        }
        return Math.max(1, Math.max(width, height) / decodeMaxSide);
    }
}
