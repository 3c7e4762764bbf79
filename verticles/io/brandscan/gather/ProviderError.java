package io.brandscan.gather;

/**
 * Why a provider fetch failed, and whether retrying the whole fetch later may succeed. The
 * providers already retry transient faults themselves where the source allows it; a retryable
 * code here means those retries ran out.
 */
public enum ProviderError {
    /** The request lacks what this provider needs (no query, no feed URL). */
    BAD_REQUEST(false),
    /** The provider's credentials are not configured. */
    MISSING_KEY(false),
    /** The source rejected the credentials (401/403). */
    KEY_REJECTED(false),
    /** The feed URL (or a redirect or next-page URL) was refused by the URL guard. */
    URL_REFUSED(false),
    /** The source answered with an HTTP status that is not worth repeating (400, 404, ...). */
    HTTP_STATUS(false),
    /** Too many redirects, or a redirect without a usable Location. */
    BAD_REDIRECT(false),
    /** The response was larger than its configured byte bound. */
    TOO_LARGE(false),
    /** The body is not JSON. */
    NOT_JSON(false),
    /** The body is JSON but not the documented shape. */
    WRONG_SHAPE(false),
    /** The rate limiter would have made the request wait longer than allowed. */
    RATE_LIMITED(true),
    /** Timeouts, connection failures, 429 or 5xx answers, after the provider's own retries. */
    UNAVAILABLE(true);

    private final boolean retryable;

    ProviderError(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
