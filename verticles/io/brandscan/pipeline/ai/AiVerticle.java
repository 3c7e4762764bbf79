package io.brandscan.pipeline.ai;

import io.brandscan.acquire.DownloadSettings;
import io.brandscan.acquire.ImageDownloader;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.scoring.ImageSimilarity;
import io.brandscan.embedding.scoring.InfringementScorer;
import io.brandscan.embedding.text.TextScorer;
import io.brandscan.embedding.worker.EmbeddingClient;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.queue.QueueConsumer;
import io.brandscan.queue.QueueMessage;
import io.brandscan.queue.QueueSettings;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.storage.ObjectStore;
import io.brandscan.store.ScanStore;
import io.brandscan.store.StoreSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The AI phase (seed 001, phase 3): consumes {@code brand-ai-phase-queue}
 * ({@code {client_id, scan_id, batch}}) with at most {@code ai.max_in_flight} scans at once, and
 * scores each committed scan against its brand snapshot with the {@link InfringementScorer}
 * (see {@link ScanScoring} for the steps and why they are idempotent). Reference images are
 * embedded by the {@link io.brandscan.embedding.worker.EmbeddingVerticle} of the same process,
 * which must be deployed; titles are scored with MiniLM on this verticle's worker pool. Nothing
 * blocking runs on the event loop.
 *
 * <p>A message that is not a valid AI message is failed until SQS moves it to the dead-letter
 * queue; when any message fails on its last allowed attempt, its scan is failed with the reason.
 *
 * <p>Configuration slices: {@code ai} ({@link AiSettings}), {@code sqs} ({@link QueueSettings}),
 * {@code mongo} ({@link MongoConnection}), {@code store} ({@link StoreSettings}), {@code download}
 * ({@link DownloadSettings}: the allowlist for reference image URLs), and optionally
 * {@code image_calibration} ({@link ImageSimilarity.Calibration#fromConfig}).
 */
public final class AiVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(AiVerticle.class);

    private final Clock clock;
    private AiSettings settings;
    private WorkerExecutor workers;
    private ImageDownloader downloader;
    private SqsBroker broker;
    private ScanStore store;
    private ScanScoring scoring;
    private ObjectStore objects;
    private QueueConsumer consumer;

    public AiVerticle() {
        this(Clock.systemUTC());
    }

    public AiVerticle(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The verticle's config picked out of a group's merged configuration: the {@code ai},
     * {@code sqs}, {@code mongo}, {@code store} and {@code download} slices (missing ones become
     * empty objects, so every default applies) and {@code image_calibration} when present.
     */
    public static JsonObject configFrom(JsonObject groupConf) {
        JsonObject conf = new JsonObject();
        for (String slice : List.of("ai", "sqs", "mongo", "store", "download", "s3")) {
            conf.put(slice, groupConf.getJsonObject(slice, new JsonObject()).copy());
        }
        JsonObject calibration = groupConf.getJsonObject("image_calibration");
        if (calibration != null) {
            conf.put("image_calibration", calibration.copy());
        }
        return conf;
    }

    @Override
    public Future<?> start() {
        JsonObject conf = config();
        DownloadSettings downloadSettings;
        QueueSettings queueSettings;
        StoreSettings storeSettings;
        ImageSimilarity similarity;
        try {
            settings = AiSettings.fromJson(conf.getJsonObject("ai"));
            downloadSettings = DownloadSettings.fromJson(conf.getJsonObject("download"));
            storeSettings = StoreSettings.from(conf.getJsonObject("store"));
            QueueSettings base = QueueSettings.fromJson(conf.getJsonObject("sqs"));
            queueSettings = base.withConsumer(settings.maxInFlight(), base.visibilityTimeout(), base.extendEvery(),
                    base.waitTime());
            JsonObject calibration = conf.getJsonObject("image_calibration");
            similarity = calibration == null ? ImageSimilarity.withDefaults()
                    : new ImageSimilarity(ImageSimilarity.Calibration.fromConfig(calibration.getMap()));
        } catch (IllegalArgumentException | ClassCastException e) {
            return Future.failedFuture(e);
        }
        workers = vertx.createSharedWorkerExecutor(settings.workerPool(), settings.workers(), 10, TimeUnit.MINUTES);
        downloader = ImageDownloader.create(vertx, downloadSettings);
        broker = SqsBroker.create(vertx, queueSettings);
        EmbeddingClient embedding = new EmbeddingClient(vertx, settings.embedTimeout());
        boolean miniLm = settings.textEmbeddings();
        Future<TextScorer> text = workers.executeBlocking(() -> {
            if (!miniLm) {
                return TextScorer.lexicalOnly();
            }
            // DJL must own the ONNX Runtime environment before MiniLM creates a plain one.
            ImageEmbedder.initialiseEngine();
            return TextScorer.withMiniLm();
        }, false);
        MongoClient mongo = MongoConnection.client(vertx, conf.getJsonObject("mongo", new JsonObject()));
        Future<ScanStore> opened = ScanStore.over(mongo, storeSettings, clock).onSuccess(s -> store = s);
        Future<SqsQueue> queue = broker.open(settings.queue());
        // Uploaded references the API stored without an embedding are read from S3 when there is one.
        JsonObject s3 = conf.getJsonObject("s3", new JsonObject());
        Future<ObjectStore> objectsOpened = s3.isEmpty() ? Future.succeededFuture(null)
                : ObjectStore.open(vertx, s3.copy().put("create_bucket", false)).onSuccess(o -> objects = o);
        return Future.all(text, opened, queue, objectsOpened).map(all -> {
            ReferenceImages references = new ReferenceImages(vertx, workers, downloader, ImageDecoder.withDefaults(),
                    embedding, settings.maxReferenceImages(), mongo, objects);
            scoring = new ScanScoring(store.scans(), store.listings(), store.findings(),
                    references, new InfringementScorer(text.result(), similarity), workers,
                    new ScanProgress(vertx, store.scans(), clock), settings.pageSize(), settings.workers() + 1);
            consumer = QueueConsumer.start(vertx, queue.result(), queueSettings, this::handle, this::lastFailure);
            LOG.info("ai consuming queue={} max_in_flight={} page_size={} workers={} text_embeddings={}",
                    queue.result().name(), settings.maxInFlight(), settings.pageSize(), settings.workers(), miniLm);
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        Future<Void> stopped = consumer == null ? Future.succeededFuture() : consumer.stop();
        return stopped.eventually(() -> {
            List<Future<?>> closing = new ArrayList<>();
            if (store != null) {
                closing.add(store.close());
            }
            if (downloader != null) {
                closing.add(downloader.close());
            }
            ObjectStore s3 = objects;
            if (workers != null) {
                closing.add(workers.close());
            }
            SqsBroker sqs = broker;
            // The AWS SDK client blocks while its Netty loops shut down: not on the event loop.
            closing.add(vertx.executeBlocking(() -> {
                if (sqs != null) {
                    sqs.close();
                }
                if (s3 != null) {
                    s3.close();
                }
                return null;
            }, false));
            return Future.join(closing);
        });
    }

    /** Messages handled and deleted by this instance's consumer (for tests and metrics). */
    public long handled() {
        return consumer == null ? 0 : consumer.handled();
    }

    Future<Void> handle(QueueMessage message) {
        AiMessage ai;
        try {
            ai = AiMessage.parse(message.body());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e); // poison: redelivered until it lands in the DLQ
        }
        return scoring.handle(ai);
    }

    /** The last allowed attempt failed: the scan is failed with the reason before the message goes to the DLQ. */
    private Future<Void> lastFailure(QueueMessage message, Throwable cause) {
        AiMessage ai;
        try {
            ai = AiMessage.parse(message.body());
        } catch (IllegalArgumentException e) {
            LOG.warn("unreadable ai message goes to the dead-letter queue id={} reason={}", message.id(), e.getMessage());
            return Future.succeededFuture();
        }
        return store.scans().get(ai.clientId(), ai.scanId()).compose(scan -> scan.isEmpty()
                ? Future.succeededFuture()
                : scoring.failScan(scan.get(), "ai phase failed after " + message.receiveCount() + " attempts: "
                        + ReferenceImages.describe(cause)));
    }
}
