package io.brandscan.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Owns the one {@link SqsAsyncClient} (and its Netty I/O threads) of a process for one SQS
 * endpoint, and hands out {@link SqsQueue}s on it. At start-up it can create the configured
 * queues, each with its dead-letter queue and a redrive policy.
 *
 * <p>Every SDK call is brought back onto the calling Vert.x context with
 * {@code Future.fromCompletionStage(cf, context)}; nothing here touches verticle state from an
 * SDK thread. Close it once, when the last user is done.
 */
public final class SqsBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsBroker.class);

    private final Vertx vertx;
    private final QueueSettings settings;
    private final SqsAsyncClient client;

    private SqsBroker(Vertx vertx, QueueSettings settings, SqsAsyncClient client) {
        this.vertx = vertx;
        this.settings = settings;
        this.client = client;
    }

    /** Builds the client; cheap and non-blocking (no network until the first call). */
    public static SqsBroker create(Vertx vertx, QueueSettings settings) {
        // The read timeout must outlast a long poll, or every empty 20 s receive would time out.
        Duration readTimeout = settings.waitTime().plusSeconds(15);
        SqsAsyncClientBuilder builder = SqsAsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(settings.maxConnections())
                        .readTimeout(readTimeout)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .eventLoopGroupBuilder(SdkEventLoopGroup.builder().numberOfThreads(settings.ioThreads())));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return new SqsBroker(vertx, settings, builder.build());
    }

    public static SqsBroker create(Vertx vertx, JsonObject sqsConf) {
        return create(vertx, QueueSettings.fromJson(sqsConf));
    }

    public QueueSettings settings() {
        return settings;
    }

    /**
     * Opens a queue by logical name ("acquire") or real name. When {@code create_queues} is set,
     * creates it and its dead-letter queue first (idempotent) and applies the redrive policy and
     * visibility timeout from conf; otherwise only looks its URL up, failing if it is missing.
     */
    public Future<SqsQueue> open(String logicalOrName) {
        String name = settings.queueName(logicalOrName);
        Context context = vertx.getOrCreateContext();
        Future<String> url = settings.createQueues() ? createWithDeadLetter(name, context) : lookUp(name, context);
        return url.map(u -> new SqsQueue(vertx, client, settings, name, u));
    }

    /** Opens the dead-letter queue of a queue (for inspection, replay or tests). */
    public Future<SqsQueue> openDeadLetter(String logicalOrName) {
        String name = settings.deadLetterName(settings.queueName(logicalOrName));
        return lookUp(name, vertx.getOrCreateContext()).map(u -> new SqsQueue(vertx, client, settings, name, u));
    }

    /** Opens (and, per conf, creates) every configured queue: what a group does at start-up. */
    public Future<List<SqsQueue>> openAll() {
        List<Future<SqsQueue>> opened = new ArrayList<>();
        for (String logical : settings.queues().keySet()) {
            opened.add(open(logical));
        }
        return Future.all(opened).map(all -> {
            List<SqsQueue> queues = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                queues.add(all.resultAt(i));
            }
            return queues;
        });
    }

    private Future<String> lookUp(String name, Context context) {
        return Future.fromCompletionStage(client.getQueueUrl(r -> r.queueName(name)), context)
                .map(r -> r.queueUrl());
    }

    private Future<String> createWithDeadLetter(String name, Context context) {
        String dlqName = settings.deadLetterName(name);
        return Future.fromCompletionStage(client.createQueue(r -> r.queueName(dlqName)), context)
                .compose(dlq -> Future.fromCompletionStage(client.getQueueAttributes(r -> r
                        .queueUrl(dlq.queueUrl()).attributeNames(QueueAttributeName.QUEUE_ARN)), context))
                .compose(dlqAttrs -> {
                    String arn = dlqAttrs.attributes().get(QueueAttributeName.QUEUE_ARN);
                    String redrive = new JsonObject()
                            .put("deadLetterTargetArn", arn)
                            .put("maxReceiveCount", String.valueOf(settings.maxReceiveCount()))
                            .encode();
                    Map<QueueAttributeName, String> attributes = Map.of(
                            QueueAttributeName.REDRIVE_POLICY, redrive,
                            QueueAttributeName.VISIBILITY_TIMEOUT,
                            String.valueOf(settings.visibilityTimeout().toSeconds()));
                    // Create without attributes (always idempotent), then set them, so a queue
                    // that already exists picks up the configured policy instead of failing.
                    return Future.fromCompletionStage(client.createQueue(r -> r.queueName(name)), context)
                            .compose(created -> Future.fromCompletionStage(client.setQueueAttributes(r -> r
                                    .queueUrl(created.queueUrl()).attributes(attributes)), context)
                                    .map(created.queueUrl()));
                })
                .onSuccess(url -> LOG.info("queue ready name={} dlq={} max_receive_count={} url={}",
                        name, dlqName, settings.maxReceiveCount(), url));
    }

    @Override
    public void close() {
        client.close();
    }
}
