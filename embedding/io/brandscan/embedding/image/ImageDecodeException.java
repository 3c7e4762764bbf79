package io.brandscan.embedding.image;

/**
 * An image that {@link ImageDecoder} refused, with the {@link DecodeFailure reason} and a
 * message naming the problem. Unchecked, so it travels through lambdas and worker pools; callers
 * that handle untrusted bytes catch it and report {@link #reason()}.
 */
public final class ImageDecodeException extends RuntimeException {
    private final DecodeFailure reason;

    public ImageDecodeException(DecodeFailure reason, String message) {
        this(reason, message, null);
    }

    public ImageDecodeException(DecodeFailure reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public DecodeFailure reason() {
        return reason;
    }
}
