package io.brandscan.api;

import io.brandscan.pipeline.ScanProgress;
import io.brandscan.pipeline.ScanStarter;
import io.brandscan.queue.SqsBroker;
import io.brandscan.schedule.ScheduledScan;
import io.brandscan.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;

/**
 * What the scheduler does with a fired slot: reads the brand as it is now, asks the same
 * {@link ScanAdmission} the API asks (a client at its limit gets no scheduled scan either, and the
 * refusal is recorded on the brand by the scheduler), and starts the scan under the slot's
 * deterministic id. A slot started twice (a scheduler died after the start but before recording
 * it) finds its scan already stored and counts as started.
 */
public final class ScheduledStarts {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledStarts.class);

    private final Vertx vertx;
    private final JsonObject conf;
    private final ScanAdmission admission;
    private final Clock clock;
    private Future<Parts> parts;

    private record Parts(ScanStore store, Brands brands, ScanStarter starter) {
    }

    /** {@code conf}: the group configuration (mongo, store, sqs slices). */
    public ScheduledStarts(Vertx vertx, JsonObject conf, ScanAdmission admission, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.conf = Objects.requireNonNull(conf, "conf");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Future<?> start(ScheduledScan slot) {
        return parts().compose(p -> p.brands().get(slot.clientId(), slot.brandId()).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(new IllegalStateException("brand " + slot.brandId() + " no longer exists"));
            }
            String scanId = slot.scanId();
            return p.store().scans().get(slot.clientId(), scanId).compose(existing -> {
                if (existing.isPresent()) {
                    return Future.succeededFuture(existing.get());
                }
                return admission.admit(slot.clientId(), scanId).compose(decision -> {
                    if (!decision.allowed()) {
                        return Future.failedFuture(new IllegalStateException("refused by the " + decision.limit()
                                + " limit: " + decision.message()));
                    }
                    LOG.info("scheduled scan client_id={} brand_id={} scan_id={} slot={} missed={}", slot.clientId(),
                            slot.brandId(), scanId, slot.slot(), slot.missedSlots());
                    return p.starter().start(slot.clientId(), scanId, slot.brandId(), Brands.snapshot(found.get()))
                            .recover(e -> admission.refund(slot.clientId(), scanId).transform(r -> Future.failedFuture(e)));
                });
            });
        }));
    }

    private synchronized Future<Parts> parts() {
        if (parts == null || parts.failed()) {
            parts = ScanStore.open(vertx, conf.getJsonObject("mongo", new JsonObject()),
                    conf.getJsonObject("store", new JsonObject()), clock).compose(store -> {
                        SqsBroker broker = SqsBroker.create(vertx, conf.getJsonObject("sqs", new JsonObject()));
                        return broker.open("gather").map(gather -> new Parts(store,
                                new Brands(io.brandscan.mongo.MongoConnection.client(vertx,
                                        conf.getJsonObject("mongo", new JsonObject())), clock),
                                new ScanStarter(store.scans(), gather, new ScanProgress(vertx, store.scans(), clock))));
                    });
        }
        return parts;
    }
}
