package io.brandscan.pipeline.ai;

import io.brandscan.bus.Addresses;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanCounts;
import io.brandscan.scan.ScanEvent;
import io.brandscan.store.ScanRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Persists the AI phase's progress events with {@link ScanRepository#appendEvent} and publishes
 * them on {@link Addresses#SCAN_PROGRESS} (JSON: client_id, scan_id, seq, type, state, counts,
 * detail, at). Events report the work; they are never part of it, so a failure to store one is
 * logged and swallowed.
 */
final class AiProgress {
    private static final Logger LOG = LoggerFactory.getLogger(AiProgress.class);

    private final Vertx vertx;
    private final ScanRepository scans;
    private final Clock clock;

    AiProgress(Vertx vertx, ScanRepository scans, Clock clock) {
        this.vertx = vertx;
        this.scans = scans;
        this.clock = clock;
    }

    /** One event about {@code scan} as it is now. */
    Future<Void> report(Scan scan, ScanEvent.Type type, String detail) {
        ScanEvent draft = ScanEvent.draft(scan, type, detail, clock.instant());
        return scans.appendEvent(draft)
                .map(stored -> {
                    vertx.eventBus().publish(Addresses.SCAN_PROGRESS, toJson(stored.orElse(draft)));
                    return (Void) null;
                })
                .recover(e -> {
                    LOG.warn("progress event not stored client_id={} scan_id={} error={}", scan.clientId(), scan.id(),
                            String.valueOf(e));
                    return Future.succeededFuture();
                });
    }

    static JsonObject toJson(ScanEvent event) {
        ScanCounts c = event.counts();
        return new JsonObject().put("client_id", event.clientId()).put("scan_id", event.scanId())
                .put("seq", event.sequence()).put("type", event.type().wireName()).put("state", event.state().wireName())
                .put("counts", new JsonObject().put("gathered", c.gathered()).put("acquired", c.acquired())
                        .put("failed", c.failed()).put("committed", c.committed()).put("scored", c.scored())
                        .put("findings", c.findings()))
                .put("detail", event.detail()).put("at", event.at().toString());
    }
}
