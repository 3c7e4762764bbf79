package io.brandscan.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch's mutable state, owned by {@link ActiveBrandRegistry} and never handed out: the
 * distinct urls done so far (results and failures, in arrival order), duplicate count, bytes
 * charged to the memory budget, and the commit lease once the batch is complete.
 */
final class BrandBatch {
    /** What a batch costs before it holds any url: the object, its map and bookkeeping. */
    static final long BASE_BYTES = 256;
    /** A map entry per url (LinkedHashMap.Entry with its links). */
    static final long ENTRY_BYTES = 48;

    final String brand;
    final int expected;
    final long createdAtMillis;
    long updatedAtMillis;
    private final Map<String, Object> done = new LinkedHashMap<>();
    private int failed;
    long duplicates;
    long bytes = BASE_BYTES;
    CommitLease lease;
    int leaseGrants;
    /** Set once the registry has reported the current lease as expired, so it is reported once. */
    boolean leaseExpiryReported;

    BrandBatch(String brand, int expected, long nowMillis) {
        this.brand = brand;
        this.expected = expected;
        this.createdAtMillis = nowMillis;
        this.updatedAtMillis = nowMillis;
    }

    boolean contains(String url) {
        return done.containsKey(url);
    }

    int completed() {
        return done.size();
    }

    int failed() {
        return failed;
    }

    boolean isComplete() {
        return done.size() == expected;
    }

    void add(StoredResult result) {
        done.put(result.url(), result);
        bytes += ENTRY_BYTES + result.estimatedBytes();
    }

    void add(FailedUrl failure) {
        done.put(failure.url(), failure);
        failed++;
        bytes += ENTRY_BYTES + failure.estimatedBytes();
    }

    /** Results {@code offset} to {@code offset + limit - 1} in arrival order (fewer at the end). */
    List<StoredResult> results(int offset, int limit) {
        int size = done.size() - failed;
        List<StoredResult> out = new ArrayList<>(Math.max(0, Math.min(limit, size - offset)));
        int index = 0;
        for (Object value : done.values()) {
            if (value instanceof StoredResult result) {
                if (index >= offset) {
                    if (out.size() == limit) {
                        break;
                    }
                    out.add(result);
                }
                index++;
            }
        }
        return out;
    }

    List<FailedUrl> failures() {
        List<FailedUrl> out = new ArrayList<>(failed);
        for (Object value : done.values()) {
            if (value instanceof FailedUrl failure) {
                out.add(failure);
            }
        }
        return out;
    }

    CommitState commitState(long nowMillis) {
        if (lease == null) {
            return CommitState.PENDING;
        }
        return lease.isLiveAt(nowMillis) ? CommitState.LEASED : CommitState.AVAILABLE;
    }

    BatchStatus status(long nowMillis) {
        return new BatchStatus(brand, expected, done.size(), failed, duplicates, commitState(nowMillis),
                lease == null ? null : lease.expiresAtMillis(), leaseGrants, createdAtMillis,
                updatedAtMillis, bytes);
    }
}
