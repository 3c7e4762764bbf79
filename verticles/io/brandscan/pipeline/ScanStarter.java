package io.brandscan.pipeline;

import io.brandscan.pipeline.gather.GatherMessage;
import io.brandscan.queue.SqsQueue;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanIds;
import io.brandscan.store.ScanRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Starts a scan the one way every caller (the {@code scan} command, the API, the scheduler)
 * does: persist it as queued with a snapshot of the brand, then put its message on
 * {@code brand-gather-queue}. The scan document is the durable fact; the message only wakes a
 * gather worker. So a message that cannot be sent does not fail the start: the scan stays
 * queued and the {@link io.brandscan.pipeline.watchdog.ScanWatchdog} sends it again.
 */
public final class ScanStarter {
    private static final Logger LOG = LoggerFactory.getLogger(ScanStarter.class);

    private final ScanRepository scans;
    private final SqsQueue gatherQueue;
    private final ScanProgress progress;

    public ScanStarter(ScanRepository scans, SqsQueue gatherQueue, ScanProgress progress) {
        this.scans = Objects.requireNonNull(scans, "scans");
        this.gatherQueue = Objects.requireNonNull(gatherQueue, "gatherQueue");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * A new queued scan of {@code brandId} for {@code clientId}, carrying {@code brand} as its
     * snapshot. Fails only when the scan could not be stored (bad ids, MongoDB down).
     */
    public Future<Scan> start(String clientId, String brandId, JsonObject brand) {
        return start(clientId, ScanIds.newScanId(), brandId, brand);
    }

    /**
     * As {@link #start(String, String, JsonObject)} with the caller's scan id: the API admits a
     * scan under its id before storing it, and the scheduler uses one id per slot so a slot
     * started twice stores one scan (the second store fails with a duplicate key).
     */
    public Future<Scan> start(String clientId, String scanId, String brandId, JsonObject brand) {
        if (brand == null) {
            return Future.failedFuture(new IllegalArgumentException("a brand snapshot is required"));
        }
        return scans.create(clientId, scanId, brandId, brand).compose(scan -> {
            ScanMeters.started(clientId);
            return progress.report(scan, ScanEvent.Type.STATE, "queued")
                    .compose(v -> gatherQueue.send(new GatherMessage(clientId, scan.id()).toBody()))
                    .map(messageId -> scan)
                    .recover(e -> {
                        LOG.warn("gather message not sent client_id={} scan_id={}: the watchdog will resend it error={}",
                                clientId, scan.id(), String.valueOf(e));
                        return Future.succeededFuture(scan);
                    });
        });
    }
}
