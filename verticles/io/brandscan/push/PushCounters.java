package io.brandscan.push;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the push tier counts about its connections and events, shared by the verticles of one
 * push node and published as Prometheus metrics ({@code brandscan_push_*}) when metrics are on.
 */
public final class PushCounters {
    /** SSE streams opened. */
    public final AtomicLong streamsOpened = new AtomicLong();
    /** SSE streams open now. */
    public final AtomicLong streamsOpen = new AtomicLong();
    /** SSE streams and SockJS sockets dropped because the browser read too slowly (write queue full). */
    public final AtomicLong droppedSlow = new AtomicLong();
    /** SSE streams ended because too many live events waited behind a catch-up or gap. */
    public final AtomicLong droppedOverflow = new AtomicLong();
    /** Sequence numbers given up on after a re-read did not find them (numbered, never stored). */
    public final AtomicLong sequencesSkipped = new AtomicLong();
    /** Bridge registrations refused (no token, bad token, another client's address). */
    public final AtomicLong registersRefused = new AtomicLong();
    /** Bridge send/publish frames refused (browsers never send). */
    public final AtomicLong inboundRefused = new AtomicLong();
    /** Events the forwarder republished to a client address. */
    public final AtomicLong eventsForwarded = new AtomicLong();
    /** Progress events the forwarder held back or replaced (coalesced). */
    public final AtomicLong eventsCoalesced = new AtomicLong();

    /**
     * Publishes the counters as {@code brandscan_push_*} meters (read from the atomics at scrape
     * time); a null registry (metrics off) does nothing.
     */
    public void bindTo(MeterRegistry registry) {
        if (registry == null) {
            return;
        }
        Gauge.builder("brandscan_push_sse_streams_open", streamsOpen, AtomicLong::get)
                .description("SSE streams open now").register(registry);
        counter(registry, "brandscan_push_sse_streams_opened_total", streamsOpened, "SSE streams opened");
        counter(registry, "brandscan_push_dropped_slow_total", droppedSlow, "Connections dropped for reading too slowly");
        counter(registry, "brandscan_push_dropped_overflow_total", droppedOverflow, "SSE streams ended on pending overflow");
        counter(registry, "brandscan_push_sequences_skipped_total", sequencesSkipped, "Missing event sequences skipped");
        counter(registry, "brandscan_push_registers_refused_total", registersRefused, "Bridge registrations refused");
        counter(registry, "brandscan_push_inbound_refused_total", inboundRefused, "Bridge send/publish frames refused");
        counter(registry, "brandscan_push_events_forwarded_total", eventsForwarded, "Events republished to client addresses");
        counter(registry, "brandscan_push_events_coalesced_total", eventsCoalesced, "Progress events held back by coalescing");
    }

    private static void counter(MeterRegistry registry, String name, AtomicLong value, String description) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).register(registry);
    }
}
