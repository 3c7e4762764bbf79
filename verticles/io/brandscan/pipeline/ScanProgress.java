package io.brandscan.pipeline;

import io.brandscan.bus.Addresses;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanEvent;
import io.brandscan.store.ScanDocuments;
import io.brandscan.store.ScanRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;

/**
 * Every phase's progress events: persists each with {@link ScanRepository#appendEvent} (which
 * numbers it) and then publishes it on {@link Addresses#SCAN_PROGRESS}. Events report the work,
 * they are never part of it: one that cannot be stored is logged and swallowed, because the
 * scan's state is already durable and is what a reconnecting dashboard re-reads.
 */
public final class ScanProgress {
    private static final Logger LOG = LoggerFactory.getLogger(ScanProgress.class);

    private final Vertx vertx;
    private final ScanRepository scans;
    private final Clock clock;

    public ScanProgress(Vertx vertx, ScanRepository scans, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.scans = Objects.requireNonNull(scans, "scans");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads the scan's current state and counts, then reports one event about it. */
    public Future<Void> report(String clientId, String scanId, ScanEvent.Type type, String detail) {
        return scans.get(clientId, scanId)
                .compose(found -> found.map(scan -> report(scan, type, detail)).orElseGet(Future::succeededFuture))
                .recover(e -> logged(clientId, scanId, e));
    }

    /** One event about {@code scan} as the caller has it; a scan's end is also counted in the metrics. */
    public Future<Void> report(Scan scan, ScanEvent.Type type, String detail) {
        if (scan.state().isTerminal()) {
            ScanMeters.ended(scan);
        }
        return scans.appendEvent(ScanEvent.draft(scan, type, detail, clock.instant()))
                .map(stored -> {
                    stored.ifPresent(e -> vertx.eventBus().publish(Addresses.SCAN_PROGRESS, toJson(e)));
                    return (Void) null;
                })
                .recover(e -> logged(scan.clientId(), scan.id(), e));
    }

    /**
     * The wire shape on the event bus: the stored event document without its {@code _id}
     * (client_id, scan_id, seq, type, state, counts, detail, at).
     */
    public static JsonObject toJson(ScanEvent event) {
        JsonObject json = ScanDocuments.event(event);
        json.remove("_id");
        return json;
    }

    private static Future<Void> logged(String clientId, String scanId, Throwable e) {
        LOG.warn("progress event not stored client_id={} scan_id={} error={}", clientId, scanId, String.valueOf(e));
        return Future.succeededFuture();
    }
}
