package io.brandscan.pipeline.watchdog;

import io.brandscan.pipeline.ScanProgress;
import io.brandscan.pipeline.ai.AiMessage;
import io.brandscan.pipeline.gather.GatherMessage;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient.RegistryClientException;
import io.brandscan.registry.RegistryClient;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds scans that stopped moving and puts each back on its way. Every sweep reads, across all
 * clients, the scans unchanged for {@code stale_after_ms} in a non-terminal state, and for each:
 * <ul>
 *   <li>queued or gathering, unchanged for {@code resend_after_ms}: its gather message was lost (never sent, or dead-lettered after a
 *       worker crash); it is sent again. Gathering is idempotent per attempt.</li>
 *   <li>acquiring or committing: asks the registry for the batch. A 404 means the registry
 *       restarted and lost it, so no url job of that batch can ever complete: a new gather
 *       attempt begins (new batch key, counts reset), or, once {@code max_gather_attempts} are
 *       used, the scan fails with that reason. A batch the registry still has is the acquire
 *       sweeper's business (it takes over stranded commits); an unreachable registry is left
 *       for the next sweep.</li>
 *   <li>scoring, unchanged for {@code resend_after_ms}: its AI message was lost; it is sent again. Scoring is idempotent.</li>
 * </ul>
 * Before a message is resent the scan is touched with a conditional update, so of several
 * watchdogs (one per workers process) only one nudges a given scan per stale window.
 *
 * <p>Slices: {@code watchdog} ({@link WatchdogSettings}), {@code gather} (its attempt limit),
 * {@code sqs}, {@code mongo}, {@code store}, {@code registry_client}.
 */
public final class ScanWatchdog extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ScanWatchdog.class);
    private static final Set<ScanState> LOOKED_AT = EnumSet.of(ScanState.QUEUED, ScanState.GATHERING,
            ScanState.ACQUIRING, ScanState.COMMITTING, ScanState.SCORING);

    private final Clock clock;

    private WatchdogSettings settings;
    private ScanStore store;
    private SqsBroker broker;
    private SqsQueue gatherQueue;
    private SqsQueue aiQueue;
    private RegistryClient registry;
    private ScanProgress progress;
    private long timer = -1;
    private boolean sweeping;

    public ScanWatchdog() {
        this(Clock.systemUTC());
    }

    public ScanWatchdog(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Future<?> start() {
        JsonObject conf = config();
        try {
            settings = WatchdogSettings.fromGroup(conf);
            broker = SqsBroker.create(vertx, conf.getJsonObject("sqs", new JsonObject()));
        } catch (IllegalArgumentException | ClassCastException e) {
            return Future.failedFuture(e);
        }
        registry = new RegistryClient(vertx, RegistryClient.Settings.fromJson(
                conf.getJsonObject("registry_client", new JsonObject())));
        Future<ScanStore> opened = ScanStore.open(vertx, conf.getJsonObject("mongo", new JsonObject()),
                conf.getJsonObject("store", new JsonObject()), clock).onSuccess(s -> store = s);
        Future<SqsQueue> gather = broker.open(settings.gatherQueue()).onSuccess(q -> gatherQueue = q);
        Future<SqsQueue> ai = broker.open(settings.aiQueue()).onSuccess(q -> aiQueue = q);
        return Future.all(opened, gather, ai).onSuccess(all -> {
            progress = new ScanProgress(vertx, store.scans(), clock);
            if (!settings.interval().isZero()) {
                timer = vertx.setPeriodic(settings.interval().toMillis(), id -> sweep());
            }
            LOG.info("watchdog interval_ms={} stale_after_ms={} max_gather_attempts={}", settings.interval().toMillis(),
                    settings.staleAfter().toMillis(), settings.maxGatherAttempts());
        });
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        List<Future<?>> closing = new ArrayList<>();
        if (registry != null) {
            closing.add(registry.close());
        }
        if (store != null) {
            closing.add(store.close());
        }
        if (broker != null) {
            closing.add(vertx.executeBlocking(() -> {
                broker.close();
                return null;
            }));
        }
        return Future.join(closing);
    }

    /**
     * One sweep, one scan at a time (a sweep is small and rare; doing them in order keeps the
     * registry and MongoDB load flat). Completes with the number of scans acted on. A sweep
     * already running makes this one a no-op (0).
     */
    public Future<Integer> sweep() {
        if (sweeping || store == null) {
            return Future.succeededFuture(0);
        }
        sweeping = true;
        Duration window = settings.staleAfter().compareTo(settings.resendAfter()) < 0
                ? settings.staleAfter() : settings.resendAfter();
        return store.scans().stale(LOOKED_AT, clock.instant().minus(window), settings.limit())
                .compose(stale -> {
                    Future<Integer> chain = Future.succeededFuture(0);
                    for (Scan scan : stale) {
                        chain = chain.compose(n -> rescue(scan)
                                .recover(e -> {
                                    LOG.warn("watchdog could not rescue client_id={} scan_id={} error={}",
                                            scan.clientId(), scan.id(), String.valueOf(e));
                                    return Future.succeededFuture(false);
                                })
                                .map(acted -> acted ? n + 1 : n));
                    }
                    return chain;
                })
                .onComplete(r -> {
                    sweeping = false;
                    if (r.failed()) {
                        LOG.warn("watchdog sweep failed error={}", String.valueOf(r.cause()));
                    }
                });
    }

    private Future<Boolean> rescue(Scan scan) {
        return switch (scan.state()) {
            case QUEUED, GATHERING -> nudge(scan, gatherQueue, new GatherMessage(scan.clientId(), scan.id()).toBody(),
                    "gather message sent again");
            case SCORING -> scan.batchKey()
                    .map(batch -> nudge(scan, aiQueue, new AiMessage(scan.clientId(), scan.id(), batch).toBody(),
                            "scoring message sent again"))
                    .orElseGet(() -> Future.succeededFuture(false));
            case ACQUIRING, COMMITTING -> scan.updatedAt().isAfter(clock.instant().minus(settings.staleAfter()))
                    ? Future.succeededFuture(false)
                    : scan.batchKey()
                    .map(batch -> checkBatch(scan, batch))
                    .orElseGet(() -> Future.succeededFuture(false));
            default -> Future.succeededFuture(false);
        };
    }

    private Future<Boolean> nudge(Scan scan, SqsQueue queue, String body, String what) {
        if (scan.updatedAt().isAfter(clock.instant().minus(settings.resendAfter()))) {
            return Future.succeededFuture(false);
        }
        return store.scans().touch(scan).compose(mine -> {
            if (!mine) {
                return Future.succeededFuture(false);
            }
            LOG.info("watchdog: {} client_id={} scan_id={} state={}", what, scan.clientId(), scan.id(),
                    scan.state().wireName());
            return queue.send(body).map(id -> true);
        });
    }

    private Future<Boolean> checkBatch(Scan scan, BatchKey batch) {
        return registry.status(batch.toString())
                .map(status -> false)
                .recover(e -> e instanceof RegistryClientException r && r.status() == 404
                        ? gatherAgain(scan, batch)
                        : Future.succeededFuture(false));
    }

    /** The registry lost the batch: begin the next gather attempt, or fail the scan once they are used up. */
    private Future<Boolean> gatherAgain(Scan scan, BatchKey lost) {
        return store.scans().beginGather(scan.clientId(), scan.id(), settings.maxGatherAttempts()).compose(begun -> {
            if (begun.isPresent()) {
                Scan next = begun.get();
                LOG.warn("registry lost batch={}: gather attempt {} of {} client_id={} scan_id={}", lost,
                        next.gatherAttempts(), settings.maxGatherAttempts(), scan.clientId(), scan.id());
                return progress.report(next, ScanEvent.Type.STATE, "registry lost batch " + lost
                                + "; gathering again (attempt " + next.gatherAttempts() + ")")
                        .compose(v -> gatherQueue.send(new GatherMessage(scan.clientId(), scan.id()).toBody()))
                        .map(id -> true);
            }
            // Empty: either another watchdog began the attempt first, or the attempts are used up.
            return store.scans().get(scan.clientId(), scan.id()).compose(now -> {
                if (now.isEmpty() || now.get().state() != scan.state()
                        || now.get().gatherAttempts() != scan.gatherAttempts()
                        || now.get().gatherAttempts() < settings.maxGatherAttempts()) {
                    return Future.succeededFuture(false);
                }
                String reason = "the registry lost batch " + lost + " and all " + settings.maxGatherAttempts()
                        + " gather attempts are used";
                return store.scans().fail(scan.clientId(), scan.id(), reason).compose(failed -> failed
                        .map(f -> progress.report(f, ScanEvent.Type.FAILURE, reason).map(v -> true))
                        .orElseGet(() -> Future.succeededFuture(false)));
            });
        });
    }
}
