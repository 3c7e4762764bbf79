package io.brandscan.queue;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the SQS adapter reads from configuration: where SQS is, how to sign, which queues
 * exist, and the bounds of a consumer. Built from a verticle's {@code sqs} slice with
 * {@link #fromJson(JsonObject)}; every key has a default so an empty object works against a local
 * ElasticMQ.
 *
 * @param endpoint          SQS endpoint override; null means the region's AWS endpoint
 * @param queues            logical name to queue name, e.g. {@code gather -> brand-gather-queue}
 * @param deadLetterSuffix  appended to a queue's name to name its dead-letter queue
 */
public record QueueSettings(
        URI endpoint,
        String region,
        String accessKey,
        String secretKey,
        Map<String, String> queues,
        String deadLetterSuffix,
        boolean createQueues,
        int maxReceiveCount,
        Duration visibilityTimeout,
        Duration waitTime,
        int maxInFlight,
        int receiveBatch,
        int receivers,
        Duration extendEvery,
        Duration maxHandling,
        RetryBackoff backoff,
        int sendRetries,
        int sendConcurrency,
        int maxConnections,
        int ioThreads) {

    /** SQS refuses more than 10 messages per receive or batch send. */
    public static final int SQS_BATCH_LIMIT = 10;
    /** SQS caps long polling at 20 seconds and visibility at 12 hours. */
    public static final Duration SQS_MAX_WAIT = Duration.ofSeconds(20);
    public static final Duration SQS_MAX_VISIBILITY = Duration.ofHours(12);

    public QueueSettings {
        require(region != null && !region.isBlank(), "region must be set");
        require(accessKey != null && secretKey != null, "access_key and secret_key must be set");
        queues = Map.copyOf(queues);
        require(deadLetterSuffix != null && !deadLetterSuffix.isEmpty(), "dlq_suffix must be non-empty");
        require(maxReceiveCount >= 1 && maxReceiveCount <= 1000, "max_receive_count must be in 1..1000");
        require(!visibilityTimeout.isNegative() && visibilityTimeout.compareTo(SQS_MAX_VISIBILITY) <= 0,
                "visibility_timeout_s must be in 0..43200");
        require(!waitTime.isNegative() && waitTime.compareTo(SQS_MAX_WAIT) <= 0, "wait_time_s must be in 0..20");
        require(maxInFlight >= 1, "max_in_flight must be at least 1");
        require(receiveBatch >= 1 && receiveBatch <= SQS_BATCH_LIMIT, "receive_batch must be in 1..10");
        require(receivers >= 1 && receivers <= 32, "receivers must be in 1..32");
        require(extendEvery.toMillis() >= 100, "extend_every_s must be positive");
        require(extendEvery.compareTo(visibilityTimeout) < 0 || visibilityTimeout.isZero(),
                "extend_every_s must be shorter than visibility_timeout_s, or messages reappear mid-work");
        require(!maxHandling.isNegative(), "max_handling_s must not be negative");
        require(backoff != null, "backoff must be set");
        require(sendRetries >= 0 && sendRetries <= 20, "send_retries must be in 0..20");
        require(sendConcurrency >= 1, "send_concurrency must be at least 1");
        require(maxConnections >= 1, "max_connections must be at least 1");
        require(ioThreads >= 1, "io_threads must be at least 1");
    }

    /**
     * Reads the {@code sqs} slice. Keys and defaults: {@code endpoint} (http://127.0.0.1:9324),
     * {@code region} (us-east-1), {@code access_key}/{@code secret_key} (x/x, what ElasticMQ
     * accepts), {@code queues} (gather, acquire, ai with the pipeline's queue names),
     * {@code dlq_suffix} (-dlq), {@code create_queues} (false), {@code max_receive_count} (5),
     * {@code visibility_timeout_s} (60), {@code wait_time_s} (20), {@code max_in_flight} (10),
     * {@code receive_batch} (10), {@code receivers} (2 receive calls outstanding per consumer),
     * {@code extend_every_s} (a third of the visibility timeout),
     * {@code max_handling_s} (900), {@code retry_backoff_s} (2), {@code retry_backoff_max_s}
     * (300), {@code send_retries} (3), {@code send_concurrency} (8 batch requests at once),
     * {@code max_connections} (50), {@code io_threads} (2).
     */
    public static QueueSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        String endpoint = c.getString("endpoint", "http://127.0.0.1:9324");
        Map<String, String> queues = new LinkedHashMap<>();
        JsonObject q = c.getJsonObject("queues", new JsonObject()
                .put("gather", "brand-gather-queue")
                .put("acquire", "url-process-queue")
                .put("ai", "brand-ai-phase-queue"));
        q.forEach(e -> queues.put(e.getKey(), String.valueOf(e.getValue())));
        Duration visibility = seconds(c, "visibility_timeout_s", 60);
        long defaultExtendMs = Math.max(1000, visibility.toMillis() / 3);
        return new QueueSettings(
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
                c.getString("region", "us-east-1"),
                c.getString("access_key", "x"),
                c.getString("secret_key", "x"),
                queues,
                c.getString("dlq_suffix", "-dlq"),
                c.getBoolean("create_queues", false),
                c.getInteger("max_receive_count", 5),
                visibility,
                seconds(c, "wait_time_s", 20),
                c.getInteger("max_in_flight", 10),
                c.getInteger("receive_batch", SQS_BATCH_LIMIT),
                c.getInteger("receivers", 2),
                c.containsKey("extend_every_s") ? seconds(c, "extend_every_s", 0) : Duration.ofMillis(defaultExtendMs),
                seconds(c, "max_handling_s", 900),
                new RetryBackoff(seconds(c, "retry_backoff_s", 2), seconds(c, "retry_backoff_max_s", 300)),
                c.getInteger("send_retries", 3),
                c.getInteger("send_concurrency", 8),
                c.getInteger("max_connections", 50),
                c.getInteger("io_threads", 2));
    }

    /** The configured name of a logical queue ("gather", "acquire", "ai"), or the argument itself. */
    public String queueName(String logicalOrName) {
        return queues.getOrDefault(logicalOrName, logicalOrName);
    }

    public String deadLetterName(String queueName) {
        return queueName + deadLetterSuffix;
    }

    /** Same settings with the consumer bounds changed; handy for a second consumer or a test. */
    public QueueSettings withConsumer(int maxInFlight, Duration visibilityTimeout, Duration extendEvery,
                                      Duration waitTime) {
        return new QueueSettings(endpoint, region, accessKey, secretKey, queues, deadLetterSuffix, createQueues,
                maxReceiveCount, visibilityTimeout, waitTime, maxInFlight, Math.min(receiveBatch, maxInFlight), receivers,
                extendEvery, maxHandling, backoff, sendRetries, sendConcurrency, maxConnections, ioThreads);
    }

    private static Duration seconds(JsonObject c, String key, double dflt) {
        Number n = c.getNumber(key, dflt);
        return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
