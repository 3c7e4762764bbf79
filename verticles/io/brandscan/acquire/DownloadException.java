package io.brandscan.acquire;

import java.net.URI;

/**
 * A download that did not produce an image: the reason, a message a person can read, the HTTP
 * status for {@link DownloadFailure#HTTP_STATUS} (else 0), the URL that failed (the last hop),
 * and whether trying again later could help. Carries no stack trace: it is an outcome, not a bug.
 */
public final class DownloadException extends RuntimeException {
    private final DownloadFailure reason;
    private final int status;
    private final URI url;
    private final boolean retryable;

    public DownloadException(DownloadFailure reason, String message, URI url) {
        this(reason, message, url, 0);
    }

    public DownloadException(DownloadFailure reason, String message, URI url, int status) {
        super(reason + ": " + message, null, false, false);
        this.reason = reason;
        this.status = status;
        this.url = url;
        this.retryable = reason == DownloadFailure.HTTP_STATUS ? retryableStatus(status) : reason.retryableByDefault();
    }

    /**
     * Statuses worth retrying: 408, 425, 429 and 5xx except 501 (not implemented) and 505 (version
     * not supported), which will not change. Every other 4xx (404, 410, 403...) is permanent.
     */
    public static boolean retryableStatus(int status) {
        if (status == 408 || status == 425 || status == 429) {
            return true;
        }
        return status >= 500 && status <= 599 && status != 501 && status != 505;
    }

    public DownloadFailure reason() {
        return reason;
    }

    /** The HTTP status for {@link DownloadFailure#HTTP_STATUS}, else 0. */
    public int status() {
        return status;
    }

    /** The URL of the hop that failed; null when the URL could not even be parsed. */
    public URI url() {
        return url;
    }

    /** True when retrying later may succeed; false means record the URL as failed now. */
    public boolean retryable() {
        return retryable;
    }
}
