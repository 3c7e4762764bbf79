package io.brandscan.pipeline.acquire;

import io.brandscan.bus.Addresses;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanEvent;
import io.brandscan.store.ScanDocuments;
import io.brandscan.store.ScanRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Clock;

/**
 * Publishes a scan's progress events on {@link Addresses#SCAN_PROGRESS} and persists them with
 * {@link ScanRepository#appendEvent}. Events are reporting, never part of the work: a failure
 * to persist one is logged by the caller's future and does not fail the url job.
 */
final class ScanProgress {
    private final Vertx vertx;
    private final ScanRepository scans;
    private final Clock clock;

    ScanProgress(Vertx vertx, ScanRepository scans, Clock clock) {
        this.vertx = vertx;
        this.scans = scans;
        this.clock = clock;
    }

    /** Reads the scan's current state and counts, then persists and publishes one event about it. */
    Future<Void> report(String clientId, String scanId, ScanEvent.Type type, String detail) {
        return scans.get(clientId, scanId).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture();
            }
            Scan scan = found.get();
            ScanEvent draft = ScanEvent.draft(scan, type, detail, clock.instant());
            return scans.appendEvent(draft).map(stored -> {
                vertx.eventBus().publish(Addresses.SCAN_PROGRESS, toJson(stored.orElse(draft)));
                return null;
            });
        }).recover(e -> Future.succeededFuture()).mapEmpty();
    }

    /** The wire shape gather publishes too: the stored event document without its {@code _id}. */
    static JsonObject toJson(ScanEvent event) {
        JsonObject json = ScanDocuments.event(event);
        json.remove("_id");
        return json;
    }
}
