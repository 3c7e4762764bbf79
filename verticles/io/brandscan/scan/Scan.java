package io.brandscan.scan;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One scan of one brand for one client: its state, per-phase counts, the failures kept (the first
 * few, bounded by storage) with the total ever recorded, its gather attempts, when it entered each
 * state, and why it failed. {@code committedBatch} is the batch key whose listings were committed,
 * or null: readers see listings only of that batch.
 */
public record Scan(String id, String clientId, String brandId, ScanState state, ScanCounts counts,
                   List<ScanFailure> failures, long failureTotal, int gatherAttempts,
                   Map<ScanState, Instant> stateTimes, Instant createdAt, Instant updatedAt,
                   String error, String committedBatch) {

    public Scan {
        ScanIds.requireValid("scan_id", id);
        ScanIds.requireValid("client_id", clientId);
        ScanIds.requireValid("brand_id", brandId);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        counts = counts == null ? ScanCounts.ZERO : counts;
        failures = failures == null ? List.of() : List.copyOf(failures);
        if (failureTotal < failures.size()) {
            throw new IllegalArgumentException("failure total " + failureTotal + " is less than the " + failures.size() + " kept");
        }
        if (gatherAttempts < 0) {
            throw new IllegalArgumentException("gather attempts cannot be negative");
        }
        EnumMap<ScanState, Instant> times = new EnumMap<>(ScanState.class);
        if (stateTimes != null) {
            times.putAll(stateTimes);
        }
        stateTimes = Collections.unmodifiableMap(times);
    }

    /** A new scan, queued now. */
    public static Scan queued(String id, String clientId, String brandId, Clock clock) {
        Instant now = clock.instant();
        return new Scan(id, clientId, brandId, ScanState.QUEUED, ScanCounts.ZERO, List.of(), 0, 0,
                Map.of(ScanState.QUEUED, now), now, now, null, null);
    }

    /** The registry batch key of the current gather attempt; empty before the first gather. */
    public Optional<BatchKey> batchKey() {
        return gatherAttempts == 0 ? Optional.empty() : Optional.of(new BatchKey(clientId, id, gatherAttempts));
    }

    public boolean isCommitted() {
        return committedBatch != null;
    }

    /**
     * This scan moved to {@code next} now, as the transition table allows; a forbidden move is an
     * {@link IllegalStateException}. Entering gathering starts a new attempt.
     */
    public Scan moveTo(ScanState next, Clock clock) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("scan " + id + " cannot move " + state.wireName() + " -> " + next.wireName());
        }
        Instant now = clock.instant();
        EnumMap<ScanState, Instant> times = new EnumMap<>(ScanState.class);
        times.putAll(stateTimes);
        times.put(next, now);
        int attempts = next == ScanState.GATHERING ? gatherAttempts + 1 : gatherAttempts;
        return new Scan(id, clientId, brandId, next, counts, failures, failureTotal, attempts, times, createdAt, now,
                error, committedBatch);
    }
}
