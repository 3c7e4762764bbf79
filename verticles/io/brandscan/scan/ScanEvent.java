package io.brandscan.scan;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One progress event of a scan, as persisted and pushed to dashboards. {@code sequence} increases
 * per scan (1, 2, 3...) and is assigned by storage when the event is appended, so a reconnecting
 * dashboard can ask for everything after the last sequence it saw; a draft not yet stored has 0.
 */
public record ScanEvent(String scanId, String clientId, Type type, ScanState state, ScanCounts counts,
                        String detail, Instant at, long sequence) {

    /** What happened. */
    public enum Type {
        /** The scan moved to {@code state}. */
        STATE,
        /** Counts moved within the same state. */
        PROGRESS,
        /** Something failed for good; {@code detail} says what. */
        FAILURE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type fromWire(String name) {
            for (Type t : values()) {
                if (t.wireName().equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown scan event type: " + name);
        }
    }

    public ScanEvent {
        ScanIds.requireValid("scan_id", scanId);
        ScanIds.requireValid("client_id", clientId);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        counts = counts == null ? ScanCounts.ZERO : counts;
        if (sequence < 0) {
            throw new IllegalArgumentException("event sequence cannot be negative");
        }
    }

    /** A draft of an event about {@code scan}, taken from its current state and counts. */
    public static ScanEvent draft(Scan scan, Type type, String detail, Instant at) {
        return new ScanEvent(scan.id(), scan.clientId(), type, scan.state(), scan.counts(), detail, at, 0);
    }

    public ScanEvent withSequence(long seq) {
        return new ScanEvent(scanId, clientId, type, state, counts, detail, at, seq);
    }
}
