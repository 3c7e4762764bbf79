package io.brandscan.queue;

import io.brandscan.ops.Meters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue metrics of this process, per queue name: messages held by its consumers
 * ({@code brandscan.queue.in_flight}, summed over every consumer of the queue here), outcomes
 * ({@code brandscan.queue.messages} by outcome: handled, failed, handed_back) and the queue's depth
 * as SQS reports it ({@code brandscan.queue.depth} by kind: visible, in_flight), refreshed by the
 * consumers every {@link #DEPTH_EVERY_MS}.
 */
final class QueueMeters {
    static final long DEPTH_EVERY_MS = 15_000;

    private static final Map<String, AtomicLong> HELD = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> VISIBLE = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> SQS_IN_FLIGHT = new ConcurrentHashMap<>();

    private QueueMeters() {
    }

    static AtomicLong held(String queue) {
        return HELD.computeIfAbsent(queue, q -> gauge("brandscan.queue.in_flight", q, null));
    }

    static void depth(String queue, SqsQueue.QueueDepth depth) {
        VISIBLE.computeIfAbsent(queue, q -> gauge("brandscan.queue.depth", q, "visible")).set(depth.visible());
        SQS_IN_FLIGHT.computeIfAbsent(queue, q -> gauge("brandscan.queue.depth", q, "in_flight")).set(depth.inFlight());
    }

    static void outcome(String queue, String outcome) {
        Meters.registry().counter("brandscan.queue.messages", "queue", queue, "outcome", outcome).increment();
    }

    private static AtomicLong gauge(String name, String queue, String kind) {
        AtomicLong value = new AtomicLong();
        MeterRegistry registry = Meters.registry();
        Gauge.Builder<AtomicLong> builder = Gauge.builder(name, value, AtomicLong::get).tag("queue", queue);
        if (kind != null) {
            builder.tag("kind", kind);
        }
        builder.strongReference(true).register(registry);
        return value;
    }
}
