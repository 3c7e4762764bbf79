package io.brandscan.pipeline.gather;

/**
 * Why a gather attempt stopped. A permanent one fails the scan with {@link #getMessage()} as
 * its reason and the message is deleted; a retryable one fails the handler so SQS redelivers the
 * message after the consumer's backoff (and, past {@code max_receive_count}, the last-failure
 * hook records the reason on the scan before the message goes to the dead-letter queue).
 */
public final class GatherFailure extends RuntimeException {
    private final boolean permanent;

    private GatherFailure(String reason, boolean permanent, Throwable cause) {
        super(reason, cause, false, false);
        this.permanent = permanent;
    }

    public static GatherFailure permanent(String reason) {
        return new GatherFailure(reason, true, null);
    }

    public static GatherFailure retryable(String reason, Throwable cause) {
        return new GatherFailure(reason, false, cause);
    }

    public boolean permanent() {
        return permanent;
    }
}
