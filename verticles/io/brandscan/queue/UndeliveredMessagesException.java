package io.brandscan.queue;

import java.util.List;

/**
 * A batch send that could not deliver every message, even after retries. It lists exactly which
 * bodies were not sent and why, so the caller can fail the job (and let SQS redeliver it) rather
 * than lose work silently.
 */
public final class UndeliveredMessagesException extends RuntimeException {
    private final transient List<Undelivered> undelivered;
    private final int delivered;

    public UndeliveredMessagesException(String queue, int delivered, List<Undelivered> undelivered) {
        super(undelivered.size() + " of " + (delivered + undelivered.size()) + " messages not sent to " + queue
                + "; first: " + (undelivered.isEmpty() ? "-" : undelivered.get(0).code() + " " + undelivered.get(0).reason()));
        this.delivered = delivered;
        this.undelivered = List.copyOf(undelivered);
    }

    public List<Undelivered> undelivered() {
        return undelivered;
    }

    public int delivered() {
        return delivered;
    }

    /** One message body that did not reach the queue, with SQS's error code and whose fault it was. */
    public record Undelivered(String body, String code, String reason, boolean senderFault) {
    }
}
