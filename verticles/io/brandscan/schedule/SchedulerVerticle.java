package io.brandscan.schedule;

import io.brandscan.mongo.MongoConnection;
import io.brandscan.scan.ScanIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The scheduler: every {@code schedule.tick_ms} it plans brands whose schedule has no next slot
 * yet, then fires brands whose next slot is due. Each due slot is claimed with one conditional
 * update in MongoDB ({@link BrandSchedules}), so with any number of scheduler processes a slot
 * fires exactly once; a slot missed during downtime fires once and the schedule continues from
 * now ({@link SlotPlan}). A fired slot is handed to the pluggable starter as a
 * {@link ScheduledScan}; what it answers is recorded on the brand, and a failure does not fire the
 * slot again (the next slot comes as usual). A scheduler that dies between the claim and the
 * starter's answer leaves a {@code pending_start} behind, which another scheduler starts again
 * after {@code start_lease_ms} with the same scan id: the starter should treat a scan id that
 * already exists as started.
 *
 * <p>Owns its MongoClient (from the {@code mongo} slice) and its timer. Ticks never overlap: a
 * tick still running when the timer fires is left to finish. Config: {@code schedule} (see
 * {@link ScheduleSettings}) and {@code mongo}.
 */
public final class SchedulerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);

    private final Clock clock;
    private final Function<ScheduledScan, Future<?>> starter;
    private final AtomicLong fired = new AtomicLong();
    private final AtomicLong lostClaims = new AtomicLong();

    private ScheduleSettings settings;
    private MongoClient mongo;
    private BrandSchedules brands;
    private long timer = -1;
    private boolean ticking;

    public SchedulerVerticle(Clock clock, Function<ScheduledScan, Future<?>> starter) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.starter = Objects.requireNonNull(starter, "starter");
    }

    /** The {@code schedule} and {@code mongo} slices of a group's configuration. */
    public static JsonObject configFrom(JsonObject groupConf) {
        JsonObject conf = new JsonObject();
        for (String slice : List.of("schedule", "mongo")) {
            conf.put(slice, groupConf.getJsonObject(slice, new JsonObject()).copy());
        }
        return conf;
    }

    @Override
    public Future<?> start() {
        try {
            settings = ScheduleSettings.fromJson(config().getJsonObject("schedule"));
            mongo = MongoConnection.client(vertx, config().getJsonObject("mongo", new JsonObject()));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        brands = new BrandSchedules(mongo, settings.brandsCollection(), clock);
        return brands.createIndexes().onSuccess(v -> {
            timer = vertx.setPeriodic(settings.tickMs(), id -> tick());
            LOG.info("scheduler ticking every {} ms over collection={}", settings.tickMs(), settings.brandsCollection());
        });
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return mongo == null ? Future.succeededFuture() : mongo.close();
    }

    /**
     * One pass: plan unplanned brands, then fire due ones (each up to {@code batch_size}). Answers
     * how many slots this scheduler fired; 0 without doing anything if a tick is already running.
     * Called by the timer; public so tests and an operator command can tick by hand.
     */
    public Future<Integer> tick() {
        if (ticking) {
            return Future.succeededFuture(0);
        }
        ticking = true;
        Instant now = clock.instant();
        return planUnplanned(now)
                .compose(v -> retryStalledStarts(now))
                .compose(v -> brands.due(now, settings.batchSize()))
                .compose(due -> Future.join(due.stream().map(b -> handle(b, now)).toList()))
                .map(all -> {
                    int n = 0;
                    for (int i = 0; i < all.size(); i++) {
                        if (all.succeeded(i)) {
                            n += all.<Integer>resultAt(i);
                        } else {
                            LOG.warn("scheduler could not handle a due brand", all.cause(i));
                        }
                    }
                    return n;
                })
                .onFailure(e -> LOG.warn("scheduler tick failed; the next tick retries", e))
                .onComplete(r -> ticking = false);
    }

    /** Slots fired by this instance since it started. */
    public long fired() {
        return fired.get();
    }

    /** Due slots this instance read but another scheduler claimed first. */
    public long lostClaims() {
        return lostClaims.get();
    }

    private Future<Void> planUnplanned(Instant now) {
        return brands.unplanned(settings.batchSize()).compose(list -> Future.join(list.stream().map(b -> {
            Schedule schedule;
            try {
                schedule = parse(b);
            } catch (InvalidScheduleException e) {
                LOG.warn("brand schedule refused client_id={} brand_id={} {}", b.clientId(), b.brandId(), e.getMessage());
                return brands.refuse(b, e);
            }
            return brands.planIfUnplanned(b, SlotPlan.first(schedule, now), schedule.toString()).mapEmpty();
        }).toList())).mapEmpty();
    }

    /**
     * Starts again the slots whose scheduler claimed them and then died before the starter
     * answered (their claim is older than {@code start_lease_ms}). The scan id is the same, so a
     * starter that did get as far as creating the scan recognises it.
     */
    private Future<Void> retryStalledStarts(Instant now) {
        return brands.stalledStarts(now.minusMillis(settings.startLeaseMs()), settings.batchSize())
                .compose(list -> Future.join(list.stream().map(p -> brands.reclaimStart(p, now).compose(won -> {
                    if (!won) {
                        return Future.succeededFuture();
                    }
                    ScheduledScan scan = new ScheduledScan(p.clientId(), p.brandId(), p.slot(), now, p.missedSlots(), p.schedule());
                    LOG.warn("schedule start retried client_id={} brand_id={} slot={} claimed_at={}", p.clientId(), p.brandId(),
                            p.slot(), p.claimedAt());
                    return start(scan).transform(r -> record(p.documentId(), p.slot(), r));
                })).toList()))
                .mapEmpty();
    }

    /** One due brand: re-plan a changed schedule, or claim the slot and start it. Answers 1 if it fired. */
    private Future<Integer> handle(BrandSlot brand, Instant now) {
        Schedule schedule;
        try {
            schedule = parse(brand);
        } catch (InvalidScheduleException e) {
            LOG.warn("brand schedule refused client_id={} brand_id={} {}", brand.clientId(), brand.brandId(), e.getMessage());
            return brands.refuse(brand, e).map(0);
        }
        String description = schedule.toString();
        if (brand.plannedFor().isPresent() && !brand.plannedFor().get().equals(description)) {
            // The schedule changed after this slot was planned: the old slot is not the brand's any more.
            return brands.moveSlot(brand, SlotPlan.first(schedule, now), description, false, now, 0).map(0);
        }
        SlotPlan plan = SlotPlan.at(schedule, brand.nextSlot().orElseThrow(), now);
        if (!plan.fire()) {
            return Future.succeededFuture(0);
        }
        return brands.moveSlot(brand, plan.nextSlot(), description, true, now, plan.missedSlots()).compose(claimed -> {
            if (!claimed) {
                lostClaims.incrementAndGet();
                LOG.debug("slot claimed by another scheduler client_id={} brand_id={}", brand.clientId(), brand.brandId());
                return Future.succeededFuture(0);
            }
            fired.incrementAndGet();
            Instant slot = brand.nextSlot().get();
            ScheduledScan scan = new ScheduledScan(brand.clientId(), brand.brandId(), slot, now, plan.missedSlots(), description);
            LOG.info("schedule fired client_id={} brand_id={} slot={} missed_slots={} next_slot={}", brand.clientId(),
                    brand.brandId(), slot, plan.missedSlots(), plan.nextSlot().map(Instant::toString).orElse("never"));
            return start(scan).transform(r -> record(brand.documentId(), slot, r)).map(1);
        });
    }

    /**
     * Records the starter's answer. A starter that timed out is not recorded: its pending start
     * stays, and after the lease a scheduler starts it again with the same scan id.
     */
    private Future<Void> record(Object documentId, Instant slot, io.vertx.core.AsyncResult<?> answer) {
        if (answer.failed() && answer.cause() instanceof TimeoutException) {
            return Future.succeededFuture();
        }
        return brands.recordStart(documentId, slot, answer.failed() ? answer.cause() : null);
    }

    /** The starter's answer, or a {@link TimeoutException} after {@code start_timeout_ms}. */
    private Future<?> start(ScheduledScan scan) {
        try {
            Future<?> started = starter.apply(scan);
            return started == null ? Future.succeededFuture() : started.timeout(settings.startTimeoutMs(), TimeUnit.MILLISECONDS)
                    .onFailure(e -> LOG.warn("scheduled scan did not start client_id={} brand_id={} slot={}: {}", scan.clientId(),
                            scan.brandId(), scan.slot(), e instanceof TimeoutException
                                    ? "no answer within " + settings.startTimeoutMs() + " ms; left to the start lease"
                                    : e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("scan starter threw for client_id={} brand_id={}", scan.clientId(), scan.brandId(), e);
            return Future.failedFuture(e);
        }
    }

    private static Schedule parse(BrandSlot brand) {
        Object raw = brand.schedule();
        if (raw != null && !(raw instanceof JsonObject)) {
            throw new InvalidScheduleException("schedule", "must be an object such as {\"type\":\"daily\",\"at\":\"09:00\"}");
        }
        if (brand.brandId() == null) {
            throw new InvalidScheduleException("brand_id", "is missing on the brand");
        }
        try {
            ScanIds.requireValid("client_id", brand.clientId());
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("client_id", e.getMessage());
        }
        return ScheduleJson.parse((JsonObject) raw);
    }
}
