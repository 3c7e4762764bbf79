package io.brandscan.acquire;

/**
 * Why an image could not be downloaded. {@link #retryableByDefault()} tells the pipeline whether
 * to retry the URL later or record it with {@code /fail}; {@link #HTTP_STATUS} depends on the
 * status (see {@link DownloadException#retryableStatus(int)}).
 */
public enum DownloadFailure {
    /** The URL's host is, resolves to, or redirects to an address the policy refuses. */
    BLOCKED_ADDRESS(false),
    /** Not an absolute http(s) URL we accept (scheme, userinfo, malformed host or port, bad Location). */
    BAD_URL(false),
    TOO_MANY_REDIRECTS(false),
    /** The body is (or declares it will be) larger than {@code max_bytes}. */
    TOO_LARGE(false),
    /** Connecting or the whole download took longer than allowed. */
    TIMEOUT(true),
    /** The server answered with a status other than 2xx or a followed redirect. */
    HTTP_STATUS(false),
    /** The body is not JPEG, PNG, GIF or WebP by its magic bytes, whatever Content-Type said. */
    NOT_AN_IMAGE(false),
    /** The host name could not be resolved (may be transient, so retried). */
    DNS_FAILURE(true),
    /** The connection was refused, reset or closed before the body was complete. */
    CONNECTION_FAILED(true);

    private final boolean retryableByDefault;

    DownloadFailure(boolean retryableByDefault) {
        this.retryableByDefault = retryableByDefault;
    }

    public boolean retryableByDefault() {
        return retryableByDefault;
    }
}
