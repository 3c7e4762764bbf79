package io.brandscan.pipeline.acquire;

import io.brandscan.acquire.DownloadSettings;
import io.brandscan.acquire.ImageDownloader;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImagePreprocessor;
import io.brandscan.embedding.worker.EmbeddingClient;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.queue.QueueConsumer;
import io.brandscan.queue.QueueMessage;
import io.brandscan.queue.QueueSettings;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanCounts;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanFailure;
import io.brandscan.scan.ScanState;
import io.brandscan.storage.ObjectStore;
import io.brandscan.storage.StoredObject;
import io.brandscan.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The acquire phase (seed 001, phase 2): consumes {@code url-process-queue} with a bounded
 * number of jobs in flight and, for each listing, downloads its image SSRF-safely, decodes and
 * fingerprints it on a worker pool, stores the bytes in S3 under their content hash, embeds it
 * through the {@link io.brandscan.embedding.worker.EmbeddingVerticle}, and submits the result to
 * the registry. Permanent failures (an image that is gone, blocked or not an image) go to the
 * registry's {@code /fail}; anything else fails the handler so SQS redelivers the message, and
 * on its last allowed attempt the url is reported failed so the batch can still complete.
 *
 * <p>The worker whose submit completes the batch gets {@code should_commit} and commits it with
 * {@link BatchCommitter}. A batch the registry no longer knows (404: it restarted) is dropped
 * silently: the message is deleted and the watchdog gathers the scan again. A periodic sweeper
 * offers a {@code /claim-commit} for every scan stuck in acquiring or committing, which is how a
 * commit stranded by a crashed committer is taken over once its lease expires. A worker that is
 * stopped gracefully does not strand one: it stops receiving, gives a commit under way up to
 * {@code commit_grace_ms} to finish, releases the lease of any it could not finish, and only then
 * hands its messages back, so another worker takes the commit over at once.
 *
 * <p>Configuration slices: {@code acquire} ({@link AcquireSettings}), {@code sqs}, {@code s3},
 * {@code mongo}, {@code store}, {@code download} ({@link DownloadSettings}) and
 * {@code registry_client} ({@link RegistryClient.Settings}).
 */
public final class AcquireVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(AcquireVerticle.class);

    /**
     * The states in which a url's own increment still counts. The commit moves the scan on to
     * committing before it tops the counts up to the registry's, so a late increment never lands twice.
     */
    private static final Set<ScanState> COUNTING = Set.of(ScanState.GATHERING, ScanState.ACQUIRING);
    /** On stop, a job whose commit ended ends within a few callbacks; this only bounds a surprise. */
    private static final long JOB_END_WAIT_MS = 2_000;

    private final Clock clock;
    private final Function<BatchKey, Future<Void>> beforeCommitWrite;

    private AcquireSettings settings;
    private ScanStore store;
    private ObjectStore objects;
    private SqsBroker broker;
    private ImageDownloader downloader;
    private RegistryClient registry;
    private EmbeddingClient embedding;
    private WorkerExecutor decodePool;
    private ImageDecoder decoder;
    /** Resizes for the model on the decode pool; null when {@code acquire.preresize} is off. */
    private ImagePreprocessor modelInput;
    private ScanProgress progress;
    private BatchCommitter committer;
    private QueueConsumer consumer;
    private long sweepTimer = -1;
    private boolean sweeping;
    /** Url jobs (their handler's Future) now committing a batch, with that commit; at most max_in_flight. */
    private final Map<Future<Void>, Future<?>> committingJobs = new ConcurrentHashMap<>();

    public AcquireVerticle() {
        this(Clock.systemUTC());
    }

    public AcquireVerticle(Clock clock) {
        this(clock, batch -> Future.succeededFuture());
    }

    /** With a step run just before a commit writes listings: tests make a committer die there. */
    AcquireVerticle(Clock clock, Function<BatchKey, Future<Void>> beforeCommitWrite) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.beforeCommitWrite = Objects.requireNonNull(beforeCommitWrite, "beforeCommitWrite");
    }

    @Override
    public Future<?> start() {
        JsonObject conf = config();
        DownloadSettings downloadSettings;
        QueueSettings queueSettings;
        try {
            settings = AcquireSettings.fromJson(conf.getJsonObject("acquire"));
            downloadSettings = DownloadSettings.fromJson(conf.getJsonObject("download"));
            QueueSettings base = QueueSettings.fromJson(conf.getJsonObject("sqs"));
            queueSettings = base.withConsumer(settings.maxInFlight(), base.visibilityTimeout(), base.extendEvery(),
                    base.waitTime());
            modelInput = settings.preresize() ? new ImagePreprocessor(EmbeddingModelSpec.fromMap(
                    conf.getJsonObject("embedding", new JsonObject()).getJsonObject("model", new JsonObject()).getMap()))
                    : null;
        } catch (IllegalArgumentException | ClassCastException e) {
            return Future.failedFuture(e);
        }
        decoder = ImageDecoder.withDefaults();
        decodePool = vertx.createSharedWorkerExecutor(settings.workerPool(), settings.decodeWorkers(), 5, TimeUnit.MINUTES);
        downloader = ImageDownloader.create(vertx, downloadSettings);
        registry = new RegistryClient(vertx, RegistryClient.Settings.fromJson(
                conf.getJsonObject("registry_client", new JsonObject())));
        embedding = new EmbeddingClient(vertx, settings.embedTimeout());
        broker = SqsBroker.create(vertx, queueSettings);
        Future<ScanStore> storeOpened = ScanStore.open(vertx, conf.getJsonObject("mongo", new JsonObject()),
                conf.getJsonObject("store", new JsonObject()), clock).onSuccess(s -> store = s);
        Future<ObjectStore> objectsOpened = ObjectStore.open(vertx, conf.getJsonObject("s3", new JsonObject()))
                .onSuccess(o -> objects = o);
        Future<SqsQueue> jobs = broker.open(settings.queue());
        Future<SqsQueue> ai = broker.open(settings.aiQueue());
        return Future.all(storeOpened, objectsOpened, jobs, ai).map(all -> {
            progress = new ScanProgress(vertx, store.scans(), clock);
            committer = new BatchCommitter(vertx, settings.gatherWait(), registry, store.scans(), store.listings(), ai.result(), progress, clock,
                    beforeCommitWrite);
            consumer = QueueConsumer.start(vertx, jobs.result(), queueSettings, this::handle, this::lastFailure);
            if (!settings.sweepInterval().isZero()) {
                sweepTimer = vertx.setPeriodic(settings.sweepInterval().toMillis(), id -> sweep());
            }
            LOG.info("acquire consuming queue={} max_in_flight={} decode_workers={} sweep_interval_ms={}",
                    jobs.result().name(), settings.maxInFlight(), settings.decodeWorkers(),
                    settings.sweepInterval().toMillis());
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        // Order matters: stop receiving, let a commit under way finish (or give its lease back),
        // and only then hand the held messages back. The completing message of a released commit
        // then reaches another worker whose claim is granted at once.
        Future<Void> paused = consumer == null ? Future.succeededFuture() : consumer.pause();
        Future<Void> drained = paused.compose(v -> committer == null
                ? Future.succeededFuture() : committer.stop(settings.commitGrace()))
                .compose(v -> committedJobsEnded());
        Future<Void> stopped = drained.eventually(() -> consumer == null ? Future.succeededFuture() : consumer.stop());
        return stopped.eventually(() -> {
            List<Future<?>> closing = new ArrayList<>();
            if (store != null) {
                closing.add(store.close());
            }
            closing.add(downloader.close());
            closing.add(registry.close());
            closing.add(decodePool.close());
            // The AWS SDK clients block for seconds while their Netty loops shut down: not on ours.
            ObjectStore s3 = objects;
            if (s3 != null) {
                closing.add(vertx.executeBlocking(() -> {
                    s3.close();
                    return null;
                }, false));
            }
            closing.add(vertx.executeBlocking(() -> {
                broker.close();
                return null;
            }, false));
            return Future.join(closing);
        });
    }

    /**
     * Completes once every url job whose commit has ended has itself ended, as the consumer sees
     * it, so the consumer deletes its message rather than handing it back to be received again
     * for nothing. The consumer listened to each job first, so it hears of the end before this.
     */
    private Future<Void> committedJobsEnded() {
        List<Future<Void>> ending = new ArrayList<>();
        committingJobs.forEach((job, commit) -> {
            if (commit.isComplete()) {
                ending.add(job);
            }
        });
        if (ending.isEmpty()) {
            return Future.succeededFuture();
        }
        Promise<Void> ended = Promise.promise();
        long timer = vertx.setTimer(JOB_END_WAIT_MS, id -> ended.tryComplete());
        Future.join(ending).onComplete(all -> {
            vertx.cancelTimer(timer);
            ended.tryComplete();
        });
        return ended.future();
    }

    /** Batches this instance has committed (the flip was its own); for tests and metrics. */
    public long commits() {
        return committer == null ? 0 : committer.flips();
    }

    /** One url job: acquire, then submit; or report it failed for good; or fail so SQS retries. */
    Future<Void> handle(QueueMessage message) {
        UrlJob job;
        try {
            job = UrlJob.parse(message.body());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e); // poison: redelivered until it lands in the DLQ
        }
        String batch = job.batch().toString();
        // The consumer listens to this Future as soon as it is returned, before stop() can.
        Promise<Void> handled = Promise.promise();
        Future<Void> id = handled.future();
        acquire(job)
                .compose(result -> registry.submit(batch, result)
                        .compose(reply -> {
                            // One line per url at DEBUG: says which process acquired what when workers are many.
                            LOG.debug("url acquired batch={} url={} completed={}/{}", batch, job.url(),
                                    reply.completed(), reply.expected());
                            return afterReply(job, reply, ScanCounts.acquired(1), id);
                        }))
                .recover(error -> {
                    Optional<String> reason = JobFailure.permanentReason(error);
                    if (reason.isEmpty()) {
                        return Future.failedFuture(error);
                    }
                    LOG.info("url failed for good batch={} url={} reason={}", batch, job.url(), reason.get());
                    return registry.fail(batch, job.url(), reason.get())
                            .compose(reply -> afterReply(job, reply, ScanCounts.failed(1), id));
                })
                .recover(error -> {
                    if (BatchCommitter.isBatchGone(error)) {
                        // The registry lost the batch (restart): nothing to record; the watchdog re-gathers.
                        LOG.info("batch gone, dropping url job batch={} url={}", batch, job.url());
                        return Future.succeededFuture();
                    }
                    return Future.failedFuture(error);
                })
                .onComplete(r -> {
                    committingJobs.remove(id);
                    handled.handle(r);
                });
        return id;
    }

    /** The last allowed attempt failed: report the url failed so its batch can still complete. */
    private Future<Void> lastFailure(QueueMessage message, Throwable cause) {
        UrlJob job;
        try {
            job = UrlJob.parse(message.body());
        } catch (IllegalArgumentException e) {
            LOG.warn("poison url job goes to the dead-letter queue message={} error={}", message.id(), e.getMessage());
            return recordPoison(message, e);
        }
        String reason = "gave up after " + message.receiveCount() + " attempts: " + cause;
        return registry.fail(job.batch().toString(), job.url(), reason)
                .compose(reply -> afterReply(job, reply, ScanCounts.failed(1), null))
                .recover(e -> {
                    LOG.warn("could not report last failure batch={} url={} error={}", job.batch(), job.url(), String.valueOf(e));
                    return Future.succeededFuture();
                });
    }

    /**
     * Keeps the reason of a malformed job on its scan when the body still names one, so the
     * dead-lettered message is explained where people look. Never fails: it is only a record.
     */
    private Future<Void> recordPoison(QueueMessage message, IllegalArgumentException why) {
        try {
            JsonObject body = new JsonObject(message.body());
            String clientId = body.getString("client_id");
            String scanId = body.getString("scan_id");
            if (clientId == null || scanId == null) {
                return Future.succeededFuture();
            }
            Object listing = body.getValue("listing");
            String url = listing instanceof JsonObject l && l.getValue("url") instanceof String u ? u : "";
            ScanFailure failure = new ScanFailure(url, "malformed url job, sent to the dead-letter queue: "
                    + why.getMessage(), clock.instant());
            return store.scans().addFailures(clientId, scanId, List.of(failure)).<Void>mapEmpty()
                    .otherwiseEmpty();
        } catch (RuntimeException e) {
            return Future.succeededFuture();
        }
    }

    /**
     * Downloads, then decodes, fingerprints and resizes for the model (worker pool), then stores
     * and embeds the image at once.
     */
    private Future<JsonObject> acquire(UrlJob job) {
        return downloader.download(job.imageUrl()).compose(downloaded -> decodePool
                .executeBlocking(() -> AcquiredImage.of(decoder.decode(downloaded.bytes()), modelInput), false)
                .compose(image -> {
                    Future<StoredObject> stored = objects.put(downloaded.bytes());
                    Future<float[]> vector = embedding.embed(image.pixels());
                    return Future.all(stored, vector).map(both -> ListingResult.of(job.listing(),
                            stored.result().uri(), vector.result(), image.fingerprint(), image.width(), image.height(),
                            image.format()));
                }));
    }

    /**
     * Counts a url the registry accepted for the first time (a duplicate delivery counts nothing),
     * and commits when this reply granted the commit. A duplicate on a complete batch also asks for
     * the commit: the completing message of a committer that died comes back this way.
     */
    private Future<Void> afterReply(UrlJob job, RegistryClient.CommitReply reply, ScanCounts delta,
                                    Future<Void> jobId) {
        Future<Void> counted = reply.duplicate()
                ? Future.succeededFuture()
                : store.scans().incrementCountsWhile(job.clientId(), job.scanId(), job.batch().attempt(),
                        COUNTING, delta).compose(ok -> {
                    boolean report = reply.completed() >= reply.expected()
                            || reply.completed() % settings.progressEvery() == 0;
                    return report ? progress.report(job.clientId(), job.scanId(), ScanEvent.Type.PROGRESS,
                            reply.completed() + " of " + reply.expected() + " urls done") : Future.succeededFuture();
                });
        return counted.compose(v -> {
            if (reply.shouldCommit()) {
                return commit(job.batch(), reply.lease(), jobId);
            }
            if (reply.duplicate() && reply.completed() >= reply.expected()) {
                return claimAndCommit(job.batch(), jobId);
            }
            return Future.succeededFuture();
        });
    }

    private Future<Void> claimAndCommit(BatchKey batch, Future<Void> jobId) {
        return registry.claimCommit(batch.toString())
                .compose(reply -> reply.shouldCommit() ? commit(batch, reply.lease(), jobId) : Future.succeededFuture());
    }

    /**
     * Claims only a batch whose status says the commit is up for grabs: a status read leaves the
     * batch's idle clock alone, whereas a claim would keep a stranded batch from ever expiring.
     */
    private Future<Void> claimIfAvailable(BatchKey batch) {
        return registry.status(batch.toString()).compose(status -> "available".equals(status.getString("commit_state"))
                ? claimAndCommit(batch, null)
                : Future.succeededFuture());
    }

    /** Commits; {@code jobId} is the url job committing it (null for the sweeper and last failures). */
    private Future<Void> commit(BatchKey batch, String lease, Future<Void> jobId) {
        Future<BatchCommitter.Outcome> commit = committer.commit(batch, lease);
        if (jobId != null && !jobId.isComplete()) {
            committingJobs.put(jobId, commit);
        }
        return commit.mapEmpty();
    }

    /**
     * Offers a claim-commit for each scan unchanged for {@code stuck_after_ms} in acquiring or
     * committing whose registry batch is complete with no live lease (commit state
     * {@code available}), so a commit in progress elsewhere is never taken; a batch the registry
     * lost is left to the watchdog.
     */
    private void sweep() {
        if (sweeping || store == null) {
            return;
        }
        sweeping = true;
        store.scans().stuck(clock.instant().minus(settings.stuckAfter()), settings.sweepLimit())
                .compose(stuck -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (Scan scan : stuck) {
                        if (scan.batchKey().isEmpty() || !ScanState.WATCHED.contains(scan.state())) {
                            continue;
                        }
                        BatchKey batch = scan.batchKey().get();
                        chain = chain.compose(v -> claimIfAvailable(batch).recover(e -> {
                            if (!BatchCommitter.isBatchGone(e)) {
                                LOG.warn("sweeper claim failed batch={} error={}", batch, String.valueOf(e));
                            }
                            return Future.succeededFuture();
                        }));
                    }
                    return chain;
                })
                .onComplete(r -> {
                    sweeping = false;
                    if (r.failed()) {
                        LOG.warn("sweep failed error={}", String.valueOf(r.cause()));
                    }
                });
    }
}
