package io.brandscan.push;

import io.brandscan.bus.Addresses;
import io.brandscan.scan.ScanEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Republishes scan progress from {@link Addresses#SCAN_PROGRESS} to each client's own address
 * ({@link Addresses#clientScans}), which is what a browser registers on the SockJS bridge:
 * thinned per scan to {@code push.max_events_per_second} by a {@link ProgressCoalescer}, with
 * state changes and failures always let through. Deploy exactly one per push node: the copies
 * are published node-local, because every push node receives the platform-wide publish and
 * forwards it to its own browsers (a clustered copy would reach each browser once per node).
 */
public final class ClientScanForwarder extends VerticleBase {
    private final Clock clock;
    private final PushCounters counters;
    private ProgressCoalescer<JsonObject> coalescer;
    private MessageConsumer<JsonObject> consumer;
    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

    public ClientScanForwarder(Clock clock, PushCounters counters) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    @Override
    public Future<?> start() {
        PushSettings settings;
        try {
            settings = PushSettings.from(config().getJsonObject("push"));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        coalescer = new ProgressCoalescer<>(settings.coalescingInterval(), settings.maxTrackedScans(), clock);
        vertx.setPeriodic(settings.coalescingInterval().toMillis(), id -> forward(coalescer.due()));
        consumer = vertx.eventBus().consumer(Addresses.SCAN_PROGRESS, m -> onProgress(m.body()));
        return consumer.completion();
    }

    private void onProgress(JsonObject event) {
        if (event == null) {
            return;
        }
        String clientId = event.getString("client_id");
        String scanId = event.getString("scan_id");
        Long seq = event.getLong("seq");
        if (clientId == null || scanId == null || seq == null) {
            return;
        }
        String type = event.getString("type");
        boolean urgent = ScanEvent.Type.STATE.wireName().equals(type) || ScanEvent.Type.FAILURE.wireName().equals(type);
        List<JsonObject> now = coalescer.offer(clientId + '/' + scanId, seq, urgent,
                ScanEventStream.isTerminal(event), event);
        if (now.isEmpty()) {
            counters.eventsCoalesced.incrementAndGet();
        }
        forward(now);
    }

    private void forward(List<JsonObject> events) {
        for (JsonObject e : events) {
            counters.eventsForwarded.incrementAndGet();
            vertx.eventBus().publish(Addresses.clientScans(e.getString("client_id")), e, LOCAL);
        }
    }
}
