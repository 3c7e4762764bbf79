package io.brandscan.queue;

import java.util.Map;

/**
 * One received SQS message: its body, the receipt handle that deletes or releases it, and how
 * many times SQS has delivered it (ApproximateReceiveCount), which drives the retry backoff and
 * tells a handler when it is on its last attempt.
 */
public record QueueMessage(String id, String body, String receiptHandle, int receiveCount,
                           Map<String, String> attributes) {
    public QueueMessage {
        if (receiptHandle == null || receiptHandle.isEmpty()) {
            throw new IllegalArgumentException("a received message has a receipt handle");
        }
        attributes = Map.copyOf(attributes);
    }
}
