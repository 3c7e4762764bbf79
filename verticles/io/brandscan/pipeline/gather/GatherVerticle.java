package io.brandscan.pipeline.gather;

import io.brandscan.acquire.SystemHostResolver;
import io.brandscan.gather.ListingProvider;
import io.brandscan.gather.ListingProviders;
import io.brandscan.gather.TokenBucketRateLimiter;
import io.brandscan.limits.RateLimiterChoice;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.queue.QueueConsumer;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient;
import io.brandscan.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The gather verticle: consumes {@code brand-gather-queue} through a {@link QueueConsumer} and
 * runs {@link ScanGatherer} on each message. It owns its SQS broker, scan store, registry client
 * and listing providers, opened in {@link #start()} and closed in {@link #stop()}.
 *
 * <p>Its config holds the slices it needs: {@code gather} (this verticle's settings, see
 * {@link GatherSettings}, plus the provider settings of io.brandscan.gather and the rate limits
 * of {@link TokenBucketRateLimiter}), {@code sqs} (queue names, endpoint and consumer bounds, see
 * io.brandscan.queue.QueueSettings), {@code mongo}, {@code store} and {@code limits} (read only when
 * {@code gather.rate_limiter} is {@code "shared"}: see {@link RateLimiterChoice}).
 */
public final class GatherVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(GatherVerticle.class);

    private final Clock clock;
    private final List<ListingProvider> extraProviders;

    private SqsBroker broker;
    private ScanStore store;
    private RegistryClient registry;
    private ListingProviders providers;
    private QueueConsumer consumer;
    private ScanGatherer gatherer;
    private MongoClient limiterMongo;

    public GatherVerticle(Clock clock) {
        this(clock, List.of());
    }

    /** With providers beyond json-feed and ScraperAPI, such as the demo marketplace. */
    public GatherVerticle(Clock clock, List<ListingProvider> extraProviders) {
        this.clock = clock;
        this.extraProviders = List.copyOf(extraProviders);
    }

    /**
     * The verticle's config picked out of a group's merged configuration: the {@code gather},
     * {@code sqs}, {@code mongo}, {@code store} and {@code limits} slices (missing ones become empty
     * objects, so every default applies), and the group's {@code registry_client} when gather has none.
     */
    public static JsonObject configFrom(JsonObject groupConf) {
        JsonObject conf = new JsonObject();
        for (String slice : List.of("gather", "sqs", "mongo", "store", "limits")) {
            conf.put(slice, groupConf.getJsonObject(slice, new JsonObject()).copy());
        }
        // One registry_client slice serves the whole group unless gather has its own.
        JsonObject gather = conf.getJsonObject("gather");
        if (!gather.containsKey("registry_client") && groupConf.getJsonObject("registry_client") != null) {
            gather.put("registry_client", groupConf.getJsonObject("registry_client").copy());
        }
        return conf;
    }

    @Override
    public Future<?> start() {
        JsonObject conf = config();
        JsonObject gatherConf = conf.getJsonObject("gather", new JsonObject());
        GatherSettings settings;
        try {
            settings = GatherSettings.fromJson(gatherConf);
            PolicyFeedUrlGuard guard = new PolicyFeedUrlGuard(settings.policy(), new SystemHostResolver(vertx));
            ListingProviders all = ListingProviders.fromConfig(vertx, gatherConf, guard,
                    RateLimiterChoice.from(vertx, clock, gatherConf, conf.getJsonObject("limits", new JsonObject()), () -> {
                        limiterMongo = MongoConnection.client(vertx, conf.getJsonObject("mongo", new JsonObject()));
                        return limiterMongo;
                    }), clock);
            for (ListingProvider extra : extraProviders) {
                all = all.with(extra);
            }
            providers = all;
            broker = SqsBroker.create(vertx, conf.getJsonObject("sqs", new JsonObject()));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        registry = new RegistryClient(vertx, settings.registry());
        return ScanStore.open(vertx, conf.getJsonObject("mongo", new JsonObject()),
                        conf.getJsonObject("store", new JsonObject()), clock)
                .compose(opened -> {
                    store = opened;
                    return broker.open(settings.urlQueue());
                })
                .compose(urlQueue -> {
                    gatherer = new ScanGatherer(store.scans(), providers, registry, urlQueue,
                            new ScanProgress(vertx, store.scans(), clock), clock,
                            settings.maxAttempts());
                    return broker.open(settings.queue());
                })
                .map(queue -> {
                    consumer = QueueConsumer.start(vertx, queue, queue.settings(), gatherer::handle, gatherer::lastFailure);
                    LOG.info("gather consuming queue={} providers={} max_gather_attempts={}", queue.name(),
                            providers.names(), settings.maxAttempts());
                    return consumer;
                });
    }

    @Override
    public Future<?> stop() {
        List<Future<?>> closing = new ArrayList<>();
        Future<Void> stopped = consumer == null ? Future.succeededFuture() : consumer.stop();
        return stopped.transform(v -> {
            if (providers != null) {
                closing.add(providers.close());
            }
            if (registry != null) {
                closing.add(registry.close());
            }
            if (store != null) {
                closing.add(store.close());
            }
            if (limiterMongo != null) {
                closing.add(limiterMongo.close());
            }
            if (broker != null) {
                // Closing the SDK client waits for its Netty threads: not on the event loop.
                closing.add(vertx.executeBlocking(() -> {
                    broker.close();
                    return null;
                }));
            }
            return Future.join(closing);
        });
    }

    /** The consumer, for tests and health pages; null before start. */
    public QueueConsumer consumer() {
        return consumer;
    }
}
