package io.brandscan.pipeline.acquire;

import io.brandscan.pipeline.ScanProgress;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient.RegistryClientException;
import io.brandscan.registry.RegistryClient;
import io.brandscan.registry.RegistryError;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanCounts;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanFailure;
import io.brandscan.scan.ScanState;
import io.brandscan.store.CommitResult;
import io.brandscan.store.ListingPages;
import io.brandscan.store.ListingRepository;
import io.brandscan.store.ScanRepository;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Commits one complete registry batch, by the worker holding its commit lease: moves the scan to
 * committing, fetches {@code /results} and {@code /failures}, records the failures the scan does
 * not have yet, writes the listings with {@link ListingRepository#commit} (deterministic ids,
 * then one single-document flip), enqueues the AI phase and ends the batch with
 * {@code /commit-complete}. Every step is safe to repeat, so a commit that died midway is simply
 * done again by whoever claims the lease next; a committer that lost to a newer gather attempt
 * ({@code STALE}) stops without enqueuing anything.
 *
 * <p>It also owns the leases of the commits under way on this worker. On {@link #stop} it lets
 * them finish within a grace period and gives back to the registry ({@code /release-lease}) every
 * lease still held, so another worker claims the commit at once rather than after the lease
 * expires; a commit granted after that is not begun, its lease handed straight back.
 */
final class BatchCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);

    /** How a commit call ended, for the caller's logs and the tests. */
    enum Outcome {
        /** This call flipped the scan to scoring. */
        COMMITTED,
        /** An earlier call had flipped it; the AI message was sent again (the AI phase is idempotent). */
        ALREADY_COMMITTED,
        /** The scan is not committing this batch any more (newer attempt, cancelled, failed, missing). */
        STALE,
        /** The registry no longer has the batch (restarted or already completed). */
        BATCH_GONE
    }

    /** How often a committer waiting for gather to finish looks at the scan again. */
    private static final long GATHER_POLL_MS = 100;

    private final Vertx vertx;
    private final Duration gatherWait;
    private final RegistryClient registry;
    private final ScanRepository scans;
    private final ListingRepository listings;
    private final SqsQueue aiQueue;
    private final ScanProgress progress;
    private final Clock clock;
    /** Runs just before the listings are written; a test stands in a crashing committer here. */
    private final Function<BatchKey, Future<Void>> beforeWrite;
    /** Results read from the registry per request while committing (about 6.5 MB of JSON). */
    static final int RESULTS_PAGE = 500;
    /** Batches whose flip this committer made; counted at the flip, before the AI message. */
    private final AtomicLong flips = new AtomicLong();
    /** Commits under way here with the lease each holds; at most one per url job in flight. */
    private final Set<HeldLease> held = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** A commit under way: the batch, the lease it was granted, and its end. */
    private record HeldLease(String batch, String lease, Future<Outcome> done) {
    }

    BatchCommitter(Vertx vertx, Duration gatherWait, RegistryClient registry, ScanRepository scans,
                   ListingRepository listings, SqsQueue aiQueue, ScanProgress progress, Clock clock,
                   Function<BatchKey, Future<Void>> beforeWrite) {
        this.vertx = vertx;
        this.gatherWait = gatherWait;
        this.registry = registry;
        this.scans = scans;
        this.listings = listings;
        this.aiQueue = aiQueue;
        this.progress = progress;
        this.clock = clock;
        this.beforeWrite = beforeWrite;
    }

    /** Batches this committer flipped to scoring itself (a retry finding it done does not count). */
    long flips() {
        return flips.get();
    }

    /**
     * Commits {@code batch} under {@code lease} (the token the registry granted with should_commit).
     * Once {@link #stop} has begun it does not start: the lease goes straight back to the registry
     * and the call fails, so the url job that brought the grant is delivered again to a worker
     * that will commit.
     */
    Future<Outcome> commit(BatchKey batch, String lease) {
        String key = batch.toString();
        if (stopping) {
            return release(key, lease).compose(v -> Future.failedFuture(new IllegalStateException(
                    "worker is stopping: commit of batch " + key + " left to another worker")));
        }
        Promise<Outcome> ended = Promise.promise();
        HeldLease entry = new HeldLease(key, lease, ended.future());
        held.add(entry);
        run(batch, lease).onComplete(result -> {
            held.remove(entry);
            ended.handle(result);
        });
        return ended.future();
    }

    /**
     * Stops this committer: no new commit starts, those under way get up to {@code grace} to
     * finish, and the lease of each one still running is then released in the registry, so
     * another worker's claim is granted at once. Never fails; a refused release (the commit
     * ended meanwhile, or the lease had already lapsed) is only logged.
     */
    Future<Void> stop(Duration grace) {
        stopping = true;
        List<HeldLease> running = List.copyOf(held);
        if (running.isEmpty()) {
            return Future.succeededFuture();
        }
        LOG.info("waiting up to {} ms for {} commit(s) before stopping", grace.toMillis(), running.size());
        Promise<Void> settled = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, grace.toMillis()), id -> settled.tryComplete());
        Future.join(running.stream().map(HeldLease::done).toList()).onComplete(all -> {
            vertx.cancelTimer(timer);
            settled.tryComplete();
        });
        // Commits started while waiting are in held too: release them all.
        return settled.future().compose(v -> Future.join(List.copyOf(held).stream()
                .map(h -> release(h.batch(), h.lease())).toList()).mapEmpty());
    }

    /** Gives a lease back; never fails, as the registry's refusal means nothing is left to give. */
    private Future<Void> release(String key, String lease) {
        return registry.releaseLease(key, lease)
                .onSuccess(v -> LOG.info("commit lease released for another worker batch={}", key))
                .recover(error -> {
                    LOG.info("commit lease not released batch={} reason={}", key, String.valueOf(error));
                    return Future.succeededFuture();
                });
    }

    private Future<Outcome> run(BatchKey batch, String lease) {
        String key = batch.toString();
        return moveToCommitting(batch, System.nanoTime() + gatherWait.toNanos())
                .compose(v -> Future.all(registry.status(key), registry.failures(key)))
                .compose(both -> {
                    JsonObject status = both.resultAt(0);
                    JsonArray failures = both.resultAt(1);
                    // The results are read and written a page at a time: a 10,000-listing batch is
                    // over 100 MB of JSON, and parsed whole it was several times that in boxed numbers.
                    ListingPages results = offset -> registry.results(key, offset, RESULTS_PAGE)
                            .map(BatchCommitter::objects);
                    return reconcileScan(batch, status.getInteger("succeeded", 0), failures)
                            .compose(v -> beforeWrite.apply(batch))
                            .compose(v -> listings.commit(batch.clientId(), batch, results))
                            .compose(result -> afterWrite(batch, lease, result, failures.size()));
                })
                .recover(error -> isBatchGone(error)
                        ? Future.succeededFuture(Outcome.BATCH_GONE)
                        : Future.failedFuture(error));
    }

    /**
     * Moves the scan from acquiring to committing. Gather enqueues the url jobs before it moves the
     * scan out of gathering, so a small batch can be complete while the scan is still gathering on
     * this very attempt: then wait (polling, up to {@code gather_wait_ms}) rather than give the
     * commit up. Any other state is left for {@link ListingRepository#commit} to judge.
     */
    private Future<Void> moveToCommitting(BatchKey batch, long deadlineNanos) {
        return scans.transition(batch.clientId(), batch.scanId(), Set.of(ScanState.ACQUIRING), ScanState.COMMITTING)
                .compose(moved -> {
                    if (moved.isPresent()) {
                        return progress.report(batch.clientId(), batch.scanId(), ScanEvent.Type.STATE,
                                "batch " + batch + " complete");
                    }
                    return scans.get(batch.clientId(), batch.scanId()).compose(scan -> {
                        if (scan.isPresent() && scan.get().state() == ScanState.ACQUIRING
                                && scan.get().gatherAttempts() == batch.attempt() && System.nanoTime() < deadlineNanos) {
                            // Gather moved the scan on between the transition and this read: try again
                            // rather than commit a scan still in acquiring (refused as stale, stranding it).
                            return moveToCommitting(batch, deadlineNanos);
                        }
                        boolean stillGathering = scan.isPresent() && scan.get().state() == ScanState.GATHERING
                                && scan.get().gatherAttempts() == batch.attempt();
                        if (!stillGathering || System.nanoTime() >= deadlineNanos) {
                            return Future.succeededFuture();
                        }
                        Promise<Void> later = Promise.promise();
                        vertx.setTimer(GATHER_POLL_MS, id -> moveToCommitting(batch, deadlineNanos).onComplete(later));
                        return later.future();
                    });
                });
    }

    private Future<Outcome> afterWrite(BatchKey batch, String lease, CommitResult result, int failed) {
        String key = batch.toString();
        switch (result.outcome()) {
            case STALE, NOT_FOUND -> {
                LOG.warn("commit not applied batch={} outcome={}", key, result.outcome());
                return Future.succeededFuture(Outcome.STALE);
            }
            default -> {
                boolean flipped = result.outcome() == CommitResult.Outcome.COMMITTED;
                if (flipped) {
                    flips.incrementAndGet();
                }
                JsonObject ai = new JsonObject().put("client_id", batch.clientId()).put("scan_id", batch.scanId())
                        .put("batch", key);
                return aiQueue.send(ai.encode())
                        .compose(id -> completeInRegistry(key, lease))
                        .compose(v -> flipped
                                ? progress.report(batch.clientId(), batch.scanId(), ScanEvent.Type.STATE,
                                        "committed " + result.written() + " listings, " + failed + " failures")
                                : Future.succeededFuture())
                        .map(v -> {
                            LOG.info("batch commit done batch={} outcome={} listings={} failures={}", key,
                                    result.outcome(), result.written(), failed);
                            return flipped ? Outcome.COMMITTED : Outcome.ALREADY_COMMITTED;
                        });
            }
        }
    }

    /**
     * Ends the batch in the registry. Losing the lease here is harmless: the listings are committed
     * (deterministic ids, one flip), and the new holder finds the scan already committed.
     */
    private Future<Void> completeInRegistry(String key, String lease) {
        return registry.commitComplete(key, lease).recover(error -> {
            if (error instanceof RegistryClientException e && (e.error() == RegistryError.LEASE_LOST
                    || e.status() == 404 || e.error() == RegistryError.COMMIT_NOT_GRANTED)) {
                LOG.info("commit-complete refused after a durable commit batch={} error={}", key, e.error().code());
                return Future.succeededFuture();
            }
            return Future.failedFuture(error);
        });
    }

    /**
     * Makes the scan agree with the registry before the flip: adds the registry's failures that
     * the scan does not list yet (so a repeated commit records each failed url once; a truncated
     * list is left alone), and tops the acquired and failed counts up to the registry's numbers.
     * The per-url increments are live progress; a worker stopped between {@code /submit} and its
     * increment would otherwise leave the count one short for good. Increments still on their way
     * when this runs cannot land on top of it: they count only while the scan is acquiring, and
     * the scan is committing by now (bench/soak.sh caught 116 acquired of 100 before that rule).
     */
    private Future<Void> reconcileScan(BatchKey batch, int acquired, JsonArray failures) {
        return scans.get(batch.clientId(), batch.scanId()).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture();
            }
            Scan scan = found.get();
            long missingAcquired = Math.max(0, acquired - scan.counts().acquired());
            long missingFailed = Math.max(0, failures.size() - scan.counts().failed());
            Future<Boolean> counted = missingAcquired + missingFailed == 0
                    ? Future.succeededFuture(true)
                    : scans.incrementCounts(batch.clientId(), batch.scanId(),
                            ScanCounts.acquired(missingAcquired).plus(ScanCounts.failed(missingFailed)));
            return counted.compose(ok -> addMissingFailures(batch, scan, failures));
        });
    }

    private Future<Void> addMissingFailures(BatchKey batch, Scan scan, JsonArray failures) {
        if (failures.isEmpty() || scan.failureTotal() > scan.failures().size()) {
            return Future.succeededFuture();
        }
        Set<String> known = new HashSet<>();
        scan.failures().forEach(f -> known.add(f.url()));
        Instant now = clock.instant();
        List<ScanFailure> fresh = new ArrayList<>();
        for (int i = 0; i < failures.size(); i++) {
            JsonObject f = failures.getJsonObject(i);
            String url = f.getString("url");
            if (url != null && known.add(url)) {
                String error = f.getString("error");
                fresh.add(new ScanFailure(url, error == null || error.isBlank() ? "failed" : error, now));
            }
        }
        return scans.addFailures(batch.clientId(), batch.scanId(), fresh).mapEmpty();
    }

    private static List<JsonObject> objects(JsonArray array) {
        List<JsonObject> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(array.getJsonObject(i));
        }
        return out;
    }

    static boolean isBatchGone(Throwable error) {
        return error instanceof RegistryClientException e && e.status() == 404;
    }
}
