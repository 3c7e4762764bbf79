package io.brandscan.embedding.image;

/** Why an image was refused. Stable names: they end up in logs, JSON errors and metrics. */
public enum DecodeFailure {
    /** The bytes are not an image at all (empty, HTML, JSON, text, unknown magic). */
    NOT_AN_IMAGE,
    /** An image format we recognise but do not decode (BMP, TIFF, AVIF, HEIC, SVG, ...). */
    UNSUPPORTED_FORMAT,
    /** The header declares more pixels than the configured maximum: refused before decoding. */
    TOO_MANY_PIXELS,
    /**
     * Small and within the pixel limit, but built to cost far more decoding work than its size
     * suggests: a JPEG with more scans than {@link DecodeLimits#maxJpegScans()}.
     */
    TOO_COMPLEX,
    /** The format is right but the data is damaged or truncated. */
    CORRUPT
}
