package io.brandscan.push;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order of one stream's events: owns the last sequence number sent and the events that
 * arrived ahead of a missing one. Events come from two sources that overlap (the persisted
 * catch-up read and live event-bus messages) and arrive out of order (two appends can be
 * inserted and published 7 before 6), so every event is offered here and only
 * {@link #drain()} says what may be written: each sequence once, in order, with no gaps.
 *
 * <p>Bounded: at most {@code maxPending} events wait behind a gap; the offer that would exceed
 * it reports {@link Offer#OVERFLOW} and the caller ends the stream (the browser resumes from its
 * last id, so nothing is lost). A gap that never fills (an event numbered but never stored) is
 * crossed only by {@link #skipGap()}, which the caller invokes after re-reading storage.
 * Not thread-safe: one owner (the connection's event loop).
 */
public final class EventSequencer<E> {
    /** What happened to an offered event. */
    public enum Offer { ACCEPTED, DUPLICATE, OVERFLOW }

    private final TreeMap<Long, E> pending = new TreeMap<>();
    private final int maxPending;
    private long lastSent;
    private long skipped;

    /** @param lastSent the last sequence the reader already has (0 for none) */
    public EventSequencer(long lastSent, int maxPending) {
        if (lastSent < 0) {
            throw new IllegalArgumentException("last sent sequence cannot be negative");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("max pending must be at least 1");
        }
        this.lastSent = lastSent;
        this.maxPending = maxPending;
    }

    /** Takes an event unless it was sent already or is already waiting (a repeat). */
    public Offer offer(long sequence, E event) {
        if (sequence <= lastSent || pending.containsKey(sequence)) {
            return Offer.DUPLICATE;
        }
        if (pending.size() >= maxPending) {
            return Offer.OVERFLOW;
        }
        pending.put(sequence, event);
        return Offer.ACCEPTED;
    }

    /** The events now sendable: those directly following the last sent, in order; marks them sent. */
    public List<E> drain() {
        List<E> out = new ArrayList<>();
        while (!pending.isEmpty() && pending.firstKey() == lastSent + 1) {
            Map.Entry<Long, E> first = pending.pollFirstEntry();
            lastSent = first.getKey();
            out.add(first.getValue());
        }
        return out;
    }

    /** True when events wait behind a missing sequence. */
    public boolean hasGap() {
        return !pending.isEmpty() && pending.firstKey() > lastSent + 1;
    }

    /**
     * Gives up on the missing sequences before the first waiting event (they were numbered but
     * never stored) and drains from there.
     */
    public List<E> skipGap() {
        if (!hasGap()) {
            return drain();
        }
        long first = pending.firstKey();
        skipped += first - lastSent - 1;
        lastSent = first - 1;
        return drain();
    }

    public long lastSent() {
        return lastSent;
    }

    public int pendingCount() {
        return pending.size();
    }

    /** How many sequence numbers {@link #skipGap()} has given up on. */
    public long skipped() {
        return skipped;
    }
}
