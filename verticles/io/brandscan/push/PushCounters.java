package io.brandscan.push;

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
}
