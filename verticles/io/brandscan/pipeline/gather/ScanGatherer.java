package io.brandscan.pipeline.gather;

import io.brandscan.gather.FetchedListings;
import io.brandscan.gather.ListingProviders;
import io.brandscan.gather.ProviderException;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.queue.QueueMessage;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanDocuments;
import io.brandscan.store.ScanRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * The gather phase of one scan, run for each {@code brand-gather-queue} message: begin (or
 * resume) the gather attempt, fetch the brand's listings from its provider, de-duplicate them by
 * canonical url, {@code POST /start} the attempt's registry batch with the unique count, enqueue
 * one url job per listing, then move the scan to acquiring with {@code counts.gathered} set.
 * Zero listings completes the scan at once, with no registry batch.
 *
 * <p>At-least-once delivery, decided per state of the scan when a message arrives:
 * <ul>
 *   <li>queued: {@code beginGather} starts a new attempt (new batch key), then the steps above;</li>
 *   <li>gathering: an earlier delivery died mid-way, or the watchdog began a new attempt; the
 *       same attempt is run again under the same batch key: {@code /start} with the same count
 *       is accepted as already active, and re-sent url jobs are harmless because the registry
 *       completes a batch by distinct url. The count is set, not added;</li>
 *   <li>acquiring or later, or terminal: nothing to do. The scan moves to acquiring only after
 *       every url job was sent, so that state proves the jobs are in the queue; the message is
 *       simply deleted and no second batch or second copy of the jobs is made.</li>
 * </ul>
 */
public final class ScanGatherer {
    private static final Logger LOG = LoggerFactory.getLogger(ScanGatherer.class);

    private final ScanRepository scans;
    private final ListingProviders providers;
    private final RegistryClient registry;
    private final SqsQueue urlQueue;
    private final ScanProgress progress;
    private final Clock clock;
    private final int maxAttempts;

    public ScanGatherer(ScanRepository scans, ListingProviders providers, RegistryClient registry, SqsQueue urlQueue,
                        ScanProgress progress, Clock clock, int maxAttempts) {
        this.scans = scans;
        this.providers = providers;
        this.registry = registry;
        this.urlQueue = urlQueue;
        this.progress = progress;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    /** The queue handler: succeeds once the message may be deleted, fails to have it redelivered. */
    public Future<Void> handle(QueueMessage message) {
        GatherMessage gather;
        try {
            gather = GatherMessage.parse(message.body());
        } catch (IllegalArgumentException e) {
            // No scan to record it on: let it go round to the dead-letter queue, where it can be read.
            LOG.warn("unreadable gather message id={} error={}", message.id(), e.getMessage());
            return Future.failedFuture(e);
        }
        return gather(gather);
    }

    /**
     * The last-failure hook: the message failed on its last allowed delivery and goes to the
     * dead-letter queue next, so the scan is failed with the reason (if it is still active).
     */
    public Future<Void> lastFailure(QueueMessage message, Throwable cause) {
        GatherMessage gather;
        try {
            gather = GatherMessage.parse(message.body());
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture();
        }
        String reason = "gather gave up after " + message.receiveCount() + " deliveries: " + describe(cause);
        return failScan(gather, reason);
    }

    /** Gathers the scan named by {@code gather}; see the class comment for what each state means. */
    public Future<Void> gather(GatherMessage gather) {
        return scans.get(gather.clientId(), gather.scanId())
                .compose(found -> {
                    if (found.isEmpty()) {
                        LOG.warn("gather for a missing scan client_id={} scan_id={}: dropped", gather.clientId(), gather.scanId());
                        return Future.succeededFuture(Optional.<Scan>empty());
                    }
                    Scan scan = found.get();
                    return switch (scan.state()) {
                        case QUEUED -> begin(gather);
                        case GATHERING -> Future.succeededFuture(found);
                        default -> {
                            LOG.info("gather already done client_id={} scan_id={} state={} attempt={}: nothing to do",
                                    scan.clientId(), scan.id(), scan.state().wireName(), scan.gatherAttempts());
                            yield Future.succeededFuture(Optional.<Scan>empty());
                        }
                    };
                })
                .compose(gathering -> gathering.map(this::run).orElseGet(Future::succeededFuture))
                .recover(e -> {
                    if (e instanceof GatherFailure failure && failure.permanent()) {
                        return failScan(gather, failure.getMessage());
                    }
                    return Future.failedFuture(e);
                });
    }

    private Future<Optional<Scan>> begin(GatherMessage gather) {
        return scans.beginGather(gather.clientId(), gather.scanId(), maxAttempts)
                .compose(begun -> {
                    if (begun.isPresent()) {
                        return progress.report(begun.get(), ScanEvent.Type.STATE, "gather attempt " + begun.get().gatherAttempts())
                                .map(begun);
                    }
                    // Lost a race (another worker began it, or it was cancelled): act on what is stored now.
                    return scans.get(gather.clientId(), gather.scanId()).map(now -> now.filter(
                            s -> s.state() == ScanState.GATHERING));
                });
    }

    private Future<Void> run(Scan scan) {
        BatchKey batch = scan.batchKey().orElseThrow();
        return scans.brand(scan.clientId(), scan.id())
                .compose(brand -> {
                    ProviderChoice choice;
                    try {
                        choice = ProviderChoice.fromBrand(brand.orElse(null), scan.clientId(), scan.id());
                    } catch (IllegalArgumentException e) {
                        return Future.failedFuture(GatherFailure.permanent("cannot gather: " + e.getMessage()));
                    }
                    return providers.fetch(choice.provider(), choice.request()).recover(ScanGatherer::providerFailure);
                })
                .compose(fetched -> {
                    UniqueListings unique = UniqueListings.of(fetched.listings());
                    LOG.info("gathered client_id={} scan_id={} batch={} provider={} fetched={} unique={} duplicates={} "
                                    + "unusable={} rejected={} truncated={}", scan.clientId(), scan.id(), batch,
                            fetched.provider(), fetched.listings().size(), unique.size(), unique.duplicates(),
                            unique.unusable(), fetched.rejections(), fetched.truncated());
                    return unique.size() == 0 ? completeEmpty(scan, fetched) : startBatch(scan, batch, unique);
                });
    }

    private Future<Void> completeEmpty(Scan scan, FetchedListings fetched) {
        return scans.transition(scan.clientId(), scan.id(), Set.of(ScanState.GATHERING), ScanState.COMPLETE,
                        new JsonObject().put("gather_note", "no listings from " + fetched.provider()))
                .compose(moved -> moved.map(s -> progress.report(s, ScanEvent.Type.STATE, "no listings: complete with no findings"))
                        .orElseGet(Future::succeededFuture));
    }

    private Future<Void> startBatch(Scan scan, BatchKey batch, UniqueListings unique) {
        int n = unique.size();
        return registry.start(batch.toString(), n)
                .recover(e -> Future.failedFuture(registryFailure(batch, n, e)))
                .compose(v -> urlQueue.sendBatch(UrlJobs.bodies(batch, unique.listings()))
                        .recover(e -> Future.failedFuture(GatherFailure.retryable(
                                "url jobs not all enqueued for " + batch + ": " + describe(e), e))))
                .compose(v -> scans.finishGather(scan.clientId(), scan.id(), batch.attempt(), n))
                .compose(moved -> {
                    if (moved.isEmpty()) {
                        // A concurrent delivery of the same message finished this attempt first (its jobs
                        // and ours are the same urls in the same batch), or the scan was cancelled, failed
                        // or re-gathered meanwhile (then the jobs belong to a batch nobody will commit).
                        LOG.info("scan no longer gathering on this attempt client_id={} scan_id={} batch={}",
                                scan.clientId(), scan.id(), batch);
                        return Future.succeededFuture();
                    }
                    return progress.report(moved.get(), ScanEvent.Type.STATE, n + " unique listings enqueued as batch " + batch);
                });
    }

    private static Future<FetchedListings> providerFailure(Throwable e) {
        if (e instanceof ProviderException p && !p.retryable()) {
            return Future.failedFuture(GatherFailure.permanent("listing provider failed (" + p.error().name().toLowerCase()
                    + "): " + p.getMessage()));
        }
        if (e instanceof GatherFailure) {
            return Future.failedFuture(e);
        }
        return Future.failedFuture(GatherFailure.retryable("listing provider unavailable: " + describe(e), e));
    }

    private static GatherFailure registryFailure(BatchKey batch, int n, Throwable e) {
        if (e instanceof RegistryClient.RegistryClientException refused && refused.status() >= 400
                && refused.status() < 500 && refused.status() != 429) {
            // 409: this attempt's batch is active with another count (the feed changed between
            // deliveries). Re-running it cannot agree with the registry; a person must look.
            return GatherFailure.permanent("registry refused batch " + batch + " of " + n + " listings: " + e.getMessage());
        }
        return GatherFailure.retryable("registry unavailable for batch " + batch + ": " + describe(e), e);
    }

    private Future<Void> failScan(GatherMessage gather, String reason) {
        LOG.warn("gather failed client_id={} scan_id={} reason={}", gather.clientId(), gather.scanId(), reason);
        return scans.fail(gather.clientId(), gather.scanId(), reason)
                .compose(failed -> failed.map(s -> progress.report(s, ScanEvent.Type.FAILURE, reason))
                        .orElseGet(Future::succeededFuture));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
