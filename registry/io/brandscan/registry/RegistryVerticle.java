package io.brandscan.registry;

import io.brandscan.bus.Addresses;
import io.brandscan.bus.LocalCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of all registry state. Deployed once per registry process; every request
 * reaches it as a {@link RegistryCommand} on {@link Addresses#REGISTRY_COMMANDS}, and because
 * only this verticle's event loop touches {@link ActiveBrandRegistry}, no locks are needed.
 * It also sweeps idle batches and expired leases and publishes progress on
 * {@link Addresses#REGISTRY_PROGRESS}: lifecycle changes at once, counts coalesced per batch.
 */
public final class RegistryVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryVerticle.class);
    private static final DeliveryOptions LOCAL_REPLY = new DeliveryOptions().setCodecName(LocalCodec.NAME);

    private final Clock clock;
    private ActiveBrandRegistry registry;
    private RegistryMeters meters;
    private MessageConsumer<RegistryCommand> consumer;
    /** Batches whose counts changed since the last progress flush; bounded by the batch count. */
    private final Set<String> changed = new LinkedHashSet<>();
    private long sweepTimer = -1;
    private long progressTimer = -1;

    public RegistryVerticle() {
        this(Clock.systemUTC());
    }

    /** For tests: a clock they can move. */
    public RegistryVerticle(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        RegistrySettings settings = RegistrySettings.fromJson(config());
        registry = new ActiveBrandRegistry(clock, settings.limits());
        MeterRegistry meterRegistry = BackendRegistries.getDefaultNow();
        meters = new RegistryMeters(meterRegistry, settings.limits().memoryBudgetBytes());
        LocalCodec.ensureRegistered(vertx);
        consumer = vertx.eventBus().localConsumer(Addresses.REGISTRY_COMMANDS, this::handle);
        sweepTimer = vertx.setPeriodic(settings.sweepIntervalMillis(), id -> sweep());
        progressTimer = vertx.setPeriodic(settings.progressIntervalMillis(), id -> flushProgress());
        LOG.info("registry state owner started: lease_ms={} idle_expiry_ms={} memory_budget_bytes={}",
                settings.limits().leaseMillis(), settings.limits().idleExpiryMillis(),
                settings.limits().memoryBudgetBytes());
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(sweepTimer);
        vertx.cancelTimer(progressTimer);
        return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }

    private void handle(Message<RegistryCommand> message) {
        RegistryCommand command = message.body();
        try {
            message.reply(execute(command), LOCAL_REPLY);
        } catch (RegistryException e) {
            meters.refused();
            message.fail(e.error().ordinal(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("registry command {} for brand {} failed", command.getClass().getSimpleName(), command.brand(), e);
            message.fail(RegistryError.INTERNAL.ordinal(), "internal error: " + e);
        }
    }

    private Object execute(RegistryCommand command) {
        if (command instanceof RegistryCommand.Submit submit) {
            return afterChange(registry.submit(submit.brand(), submit.result()));
        } else if (command instanceof RegistryCommand.Fail fail) {
            return afterChange(registry.fail(fail.brand(), fail.url(), fail.error()));
        } else if (command instanceof RegistryCommand.Start start) {
            ActiveBrandRegistry.StartOutcome outcome = registry.start(start.brand(), start.expectedCount());
            if (outcome == ActiveBrandRegistry.StartOutcome.CREATED) {
                meters.snapshot(registry, false);
                publish("started", registry.status(start.brand()));
            }
            return outcome;
        } else if (command instanceof RegistryCommand.ClaimCommit claim) {
            return afterChange(registry.claimCommit(claim.brand()));
        } else if (command instanceof RegistryCommand.Results results) {
            return registry.results(results.brand(), results.offset(), results.limit());
        } else if (command instanceof RegistryCommand.Failures failures) {
            return registry.failures(failures.brand());
        } else if (command instanceof RegistryCommand.CommitComplete complete) {
            BatchStatus last = registry.status(complete.brand());
            registry.commitComplete(complete.brand(), complete.lease());
            changed.remove(complete.brand());
            meters.batchCommitted();
            meters.snapshot(registry, true);
            publish("committed", last);
            return last;
        } else if (command instanceof RegistryCommand.ReleaseLease release) {
            registry.releaseLease(release.brand(), release.lease());
            BatchStatus now = registry.status(release.brand());
            LOG.info("commit lease released by its holder; brand={} is open to /claim-commit", release.brand());
            meters.leaseReleased();
            meters.snapshot(registry, true);
            changed.remove(release.brand());
            publish("lease_released", now);
            return now;
        } else if (command instanceof RegistryCommand.Status status) {
            return registry.status(status.brand());
        } else if (command instanceof RegistryCommand.ListBatches list) {
            return registry.list(list.after(), list.limit());
        } else if (command instanceof RegistryCommand.Health) {
            return new RegistryCommand.Totals(registry.batchCount(), registry.resultCount(), registry.bytes(),
                    registry.limits().memoryBudgetBytes(), registry.leasedCount());
        }
        throw new IllegalArgumentException("unknown registry command " + command);
    }

    private BatchOutcome afterChange(BatchOutcome outcome) {
        if (outcome.duplicate()) {
            meters.duplicate();
        }
        if (outcome.shouldCommit()) {
            meters.leaseGranted();
            meters.snapshot(registry, true);
            changed.remove(outcome.brand());
            publish("commit_granted", registry.status(outcome.brand()));
        } else {
            meters.snapshot(registry, false);
            changed.add(outcome.brand());
        }
        return outcome;
    }

    private void sweep() {
        ActiveBrandRegistry.SweepReport report = registry.sweep();
        if (report.isEmpty()) {
            return;
        }
        for (String brand : report.leasesExpired()) {
            LOG.warn("commit lease expired without a commit; brand={} is open to /claim-commit", brand);
            if (!report.expired().contains(brand)) {
                publish("lease_expired", registry.status(brand));
            }
        }
        for (String brand : report.expired()) {
            LOG.warn("batch idle for too long, dropped; brand={}", brand);
            changed.remove(brand);
            vertx.eventBus().publish(Addresses.REGISTRY_PROGRESS,
                    new JsonObject().put("type", "expired").put("brand", brand).put("at", clock.millis()));
        }
        meters.leasesExpired(report.leasesExpired().size());
        meters.batchesExpired(report.expired().size());
        meters.snapshot(registry, true);
    }

    private void flushProgress() {
        if (changed.isEmpty()) {
            return;
        }
        for (String brand : changed) {
            publish("progress", registry.status(brand));
        }
        changed.clear();
    }

    private void publish(String type, BatchStatus status) {
        vertx.eventBus().publish(Addresses.REGISTRY_PROGRESS, RegistryJson.event(type, status, clock.millis()));
    }
}
