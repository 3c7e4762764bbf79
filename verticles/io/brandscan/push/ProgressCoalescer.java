package io.brandscan.push;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Thins each scan's progress events to at most one per {@code interval}: owns, per scan, when
 * it last let an event through and the newest event held back since. A held event is replaced
 * by a newer one (progress carries absolute counts, so the newest says everything the older one
 * did) and released by {@link #due()} once the scan's slot comes round, so the last count of a
 * burst is never lost. Urgent events (state changes, failures) always pass at once; a terminal
 * one forgets the scan.
 *
 * <p>Bounded: at most {@code maxScans} scans are tracked; events of further scans pass
 * unthinned (counted by {@link #untracked()}) rather than growing the table. Idle entries are
 * dropped by {@link #due()}. Not thread-safe: one owner (the forwarder's event loop).
 */
public final class ProgressCoalescer<E> {
    private final long intervalMillis;
    private final int maxScans;
    private final Clock clock;
    private final Map<String, Slot<E>> scans = new HashMap<>();
    private long untracked;

    private static final class Slot<E> {
        long lastSentAt;
        long lastSentSeq;
        E held;
        long heldSeq;
    }

    public ProgressCoalescer(Duration interval, int maxScans, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("coalescing interval must be positive");
        }
        if (maxScans < 1) {
            throw new IllegalArgumentException("max tracked scans must be at least 1");
        }
        this.intervalMillis = interval.toMillis();
        this.maxScans = maxScans;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The interval for a rate of {@code perSecond} events per second. */
    public static Duration intervalFor(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("max events per second must be at least 1");
        }
        return Duration.ofMillis(Math.max(1, 1000 / perSecond));
    }

    /**
     * Offers one event of {@code scanKey}; returns what to forward now (empty when it is held).
     *
     * @param urgent   a state change or failure: never held
     * @param terminal the scan ended: forget it after this event
     */
    public List<E> offer(String scanKey, long seq, boolean urgent, boolean terminal, E event) {
        long now = clock.millis();
        Slot<E> slot = scans.get(scanKey);
        if (slot == null) {
            if (terminal) {
                return List.of(event);
            }
            if (scans.size() >= maxScans) {
                untracked++;
                return List.of(event);
            }
            slot = new Slot<>();
            slot.lastSentAt = now - intervalMillis; // a new scan's first event passes at once
            scans.put(scanKey, slot);
        }
        if (terminal) {
            scans.remove(scanKey); // the final state says everything a held progress event would
            return List.of(event);
        }
        if (urgent) {
            if (slot.held != null && slot.heldSeq < seq) {
                slot.held = null; // the state event carries counts at least as new
            }
            markSent(slot, now, seq);
            return List.of(event);
        }
        if (seq <= slot.lastSentSeq || (slot.held != null && seq <= slot.heldSeq)) {
            return List.of(); // older than what the browser has or will get
        }
        if (now - slot.lastSentAt >= intervalMillis) {
            slot.held = null;
            markSent(slot, now, seq);
            return List.of(event);
        }
        slot.held = event;
        slot.heldSeq = seq;
        return List.of();
    }

    /** Held events whose scan's slot has come round, released now; idle scans are forgotten. */
    public List<E> due() {
        long now = clock.millis();
        List<E> out = new ArrayList<>();
        for (Iterator<Slot<E>> it = scans.values().iterator(); it.hasNext(); ) {
            Slot<E> slot = it.next();
            if (now - slot.lastSentAt < intervalMillis) {
                continue;
            }
            if (slot.held != null) {
                out.add(slot.held);
                markSent(slot, now, slot.heldSeq);
                slot.held = null;
            } else {
                it.remove(); // nothing held and the slot is free: same as not tracked
            }
        }
        return out;
    }

    public int trackedScans() {
        return scans.size();
    }

    public long untracked() {
        return untracked;
    }

    private static <E> void markSent(Slot<E> slot, long now, long seq) {
        slot.lastSentAt = now;
        slot.lastSentSeq = Math.max(slot.lastSentSeq, seq);
    }
}
