package io.brandscan.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One SQS queue: send, batch send, receive, delete and change visibility. Each call returns a
 * Vert.x Future completed on the caller's context (the SDK's own threads never run caller code).
 * Obtained from {@link SqsBroker#open(String)}; holds no mutable state, so it may be shared by
 * the verticles of a process.
 */
public final class SqsQueue {
    private static final Logger LOG = LoggerFactory.getLogger(SqsQueue.class);

    private final Vertx vertx;
    private final SqsAsyncClient client;
    private final QueueSettings settings;
    private final String name;
    private final String url;

    SqsQueue(Vertx vertx, SqsAsyncClient client, QueueSettings settings, String name, String url) {
        this.vertx = vertx;
        this.client = client;
        this.settings = settings;
        this.name = name;
        this.url = url;
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public QueueSettings settings() {
        return settings;
    }

    /** Sends one message; the Future holds SQS's message id. */
    public Future<String> send(String body) {
        return onCaller(client.sendMessage(r -> r.queueUrl(url).messageBody(body))).map(r -> r.messageId());
    }

    /**
     * Sends any number of bodies in SQS batches of 10. Entries SQS rejects for a server-side
     * reason are retried (up to {@code send_retries} times, with a short growing pause); entries
     * rejected as the sender's fault are not. Succeeds only if every body was sent; otherwise
     * fails with {@link UndeliveredMessagesException} naming each body that was not.
     */
    public Future<Void> sendBatch(List<String> bodies) {
        Context context = vertx.getOrCreateContext();
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += QueueSettings.SQS_BATCH_LIMIT) {
            chunks.add(List.copyOf(bodies.subList(from, Math.min(bodies.size(), from + QueueSettings.SQS_BATCH_LIMIT))));
        }
        // At most send_concurrency batch requests at once, so a 5,000-listing scan does not queue
        // 500 requests inside the SDK; each lane takes the next chunk when its last one is done.
        // The lanes share `next` and `lost`, so they are started and advanced on the context only.
        Promise<Void> result = Promise.promise();
        context.runOnContext(start -> {
            List<UndeliveredMessagesException.Undelivered> lost = new ArrayList<>();
            int[] next = {0};
            List<Future<Void>> lanes = new ArrayList<>();
            for (int lane = 0; lane < Math.min(settings.sendConcurrency(), chunks.size()); lane++) {
                lanes.add(sendChunksInTurn(chunks, next, lost, context));
            }
            Future.all(lanes).<Void>transform(done -> {
                if (done.failed()) {
                    return Future.failedFuture(done.cause());
                }
                if (lost.isEmpty()) {
                    return Future.succeededFuture();
                }
                return Future.failedFuture(new UndeliveredMessagesException(name, bodies.size() - lost.size(), lost));
            }).onComplete(result);
        });
        return result.future();
    }

    /** One lane of {@link #sendBatch}: its state is touched only on {@code context}. */
    private Future<Void> sendChunksInTurn(List<List<String>> chunks, int[] next,
                                          List<UndeliveredMessagesException.Undelivered> lost, Context context) {
        if (next[0] >= chunks.size()) {
            return Future.succeededFuture();
        }
        List<String> chunk = chunks.get(next[0]++);
        return sendChunk(chunk, 0, context)
                .otherwise(e -> {
                    // The whole request failed (connection, throttling past the SDK's retries):
                    // every body of the chunk is reported, none silently dropped.
                    List<UndeliveredMessagesException.Undelivered> all = new ArrayList<>();
                    for (String body : chunk) {
                        all.add(new UndeliveredMessagesException.Undelivered(body, "request_failed", String.valueOf(e), false));
                    }
                    return all;
                })
                .compose(failed -> {
                    lost.addAll(failed);
                    return sendChunksInTurn(chunks, next, lost, context);
                });
    }

    private Future<List<UndeliveredMessagesException.Undelivered>> sendChunk(List<String> chunk, int attempt,
                                                                             Context context) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(chunk.get(i)).build());
        }
        return Future.fromCompletionStage(client.sendMessageBatch(r -> r.queueUrl(url).entries(entries)), context)
                .compose(response -> {
                    List<String> retry = new ArrayList<>();
                    List<UndeliveredMessagesException.Undelivered> lost = new ArrayList<>();
                    for (BatchResultErrorEntry failed : response.failed()) {
                        String body = chunk.get(Integer.parseInt(failed.id()));
                        boolean senderFault = Boolean.TRUE.equals(failed.senderFault());
                        if (!senderFault && attempt < settings.sendRetries()) {
                            retry.add(body);
                        } else {
                            lost.add(new UndeliveredMessagesException.Undelivered(body, failed.code(),
                                    failed.message(), senderFault));
                        }
                    }
                    if (retry.isEmpty()) {
                        return Future.succeededFuture(lost);
                    }
                    LOG.warn("batch send partly failed queue={} retrying={} attempt={}", name, retry.size(), attempt + 1);
                    return pause(context, Duration.ofMillis(100L << attempt))
                            .compose(v -> sendChunk(retry, attempt + 1, context))
                            .map(more -> {
                                List<UndeliveredMessagesException.Undelivered> all = new ArrayList<>(lost);
                                all.addAll(more);
                                return all;
                            });
                });
    }

    /**
     * Long-polls for up to {@code max} (at most 10) messages, waiting up to {@code wait}; each
     * received message stays invisible to others for {@code visibility}. The Future holds an
     * empty list when nothing arrived in time.
     */
    public Future<List<QueueMessage>> receive(int max, Duration wait, Duration visibility) {
        return Future.fromCompletionStage(receiveRequest(max, wait, visibility), vertx.getOrCreateContext())
                .map(SqsQueue::toMessages);
    }

    /** Receive with the configured batch, wait time and visibility timeout. */
    public Future<List<QueueMessage>> receive() {
        return receive(settings.receiveBatch(), settings.waitTime(), settings.visibilityTimeout());
    }

    CompletableFuture<ReceiveMessageResponse> receiveRequest(int max, Duration wait, Duration visibility) {
        if (max < 1 || max > QueueSettings.SQS_BATCH_LIMIT) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("receive at most 1..10 messages, not " + max));
        }
        ReceiveMessageRequest request = ReceiveMessageRequest.builder()
                .queueUrl(url)
                .maxNumberOfMessages(max)
                .waitTimeSeconds((int) Math.min(20, wait.toSeconds()))
                .visibilityTimeout((int) visibility.toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")
                .build();
        return client.receiveMessage(request);
    }

    static List<QueueMessage> toMessages(ReceiveMessageResponse response) {
        List<QueueMessage> messages = new ArrayList<>(response.messages().size());
        for (Message m : response.messages()) {
            Map<String, String> attributes = new HashMap<>();
            m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
            int receiveCount = parseCount(attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString()));
            messages.add(new QueueMessage(m.messageId(), m.body(), m.receiptHandle(), receiveCount, attributes));
        }
        return messages;
    }

    private static int parseCount(String value) {
        try {
            return value == null ? 1 : Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Deletes a received message: call only once its effect is durable. */
    public Future<Void> delete(String receiptHandle) {
        return onCaller(client.deleteMessage(r -> r.queueUrl(url).receiptHandle(receiptHandle))).mapEmpty();
    }

    /**
     * Deletes up to ten received messages in one request (SQS's batch limit), and completes with
     * the receipt handles SQS refused (empty when all went); fails only if the request itself did.
     */
    public Future<List<String>> deleteBatch(List<String> receiptHandles) {
        if (receiptHandles.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        if (receiptHandles.size() > QueueSettings.SQS_BATCH_LIMIT) {
            return Future.failedFuture(new IllegalArgumentException("at most " + QueueSettings.SQS_BATCH_LIMIT
                    + " messages per delete batch, got " + receiptHandles.size()));
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < receiptHandles.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(receiptHandles.get(i)).build());
        }
        return onCaller(client.deleteMessageBatch(r -> r.queueUrl(url).entries(entries))).map(response -> {
            List<String> refused = new ArrayList<>();
            for (BatchResultErrorEntry error : response.failed()) {
                refused.add(receiptHandles.get(Integer.parseInt(error.id())));
            }
            return refused;
        });
    }

    /**
     * Sets how long a received message stays invisible from now: longer to keep working on it,
     * zero to hand it back at once, or a backoff before a retry.
     */
    public Future<Void> changeVisibility(String receiptHandle, Duration visibility) {
        int seconds = (int) Math.max(0, Math.min(visibility.toSeconds(), QueueSettings.SQS_MAX_VISIBILITY.toSeconds()));
        return onCaller(client.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(receiptHandle)
                .visibilityTimeout(seconds))).mapEmpty();
    }

    /** Approximate visible + in-flight counts, for health pages and tests. */
    public Future<QueueDepth> depth() {
        return onCaller(client.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)))
                .map(r -> new QueueDepth(
                        Long.parseLong(r.attributes().getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")),
                        Long.parseLong(r.attributes().getOrDefault(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"))));
    }

    /** Approximate number of messages waiting and being worked on. */
    public record QueueDepth(long visible, long inFlight) {
    }

    private <T> Future<T> onCaller(CompletableFuture<T> cf) {
        return Future.fromCompletionStage(cf, vertx.getOrCreateContext());
    }

    private Future<Void> pause(Context context, Duration delay) {
        Promise<Void> promise = Promise.promise();
        context.runOnContext(v -> vertx.setTimer(Math.max(1, delay.toMillis()), t -> promise.complete()));
        return promise.future();
    }

    @Override
    public String toString() {
        return "SqsQueue[" + name + "]";
    }
}
