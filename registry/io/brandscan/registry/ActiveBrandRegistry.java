package io.brandscan.registry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The Active Brand Registry's state: every batch being gathered, acquired and committed, keyed
 * by an opaque brand (batch) key. A plain class with no locks and no I/O: exactly one thread
 * (the owning verticle's) may call it. Time comes from the given {@link Clock}.
 *
 * <p>The rules, from the seed contract and DESIGN.md: completion is by distinct url, so an
 * at-least-once queue can deliver a url twice without it counting twice; the request that
 * completes a batch, and only it, is granted the commit, as a lease that can expire and be
 * claimed again; batches idle too long are dropped; and the bytes held stay under a budget.
 * A refused request throws {@link RegistryException} and leaves the state as it was.
 */
public final class ActiveBrandRegistry {
    private final Clock clock;
    private final RegistryLimits limits;
    private final Supplier<String> tokens;
    private final Map<String, BrandBatch> batches = new HashMap<>();
    private long bytes;
    private long results;

    public ActiveBrandRegistry(Clock clock, RegistryLimits limits) {
        this(clock, limits, () -> UUID.randomUUID().toString());
    }

    ActiveBrandRegistry(Clock clock, RegistryLimits limits, Supplier<String> tokens) {
        this.clock = clock;
        this.limits = limits;
        this.tokens = tokens;
    }

    /** Whether {@link #start} created the batch or found the same one already active. */
    public enum StartOutcome { CREATED, ALREADY_ACTIVE }

    public StartOutcome start(String brand, int expectedCount) {
        requireBrand(brand);
        if (expectedCount < 1) {
            throw RegistryError.INVALID_FIELD.with("expected_count must be an integer from 1 up, got " + expectedCount);
        }
        long now = clock.millis();
        BrandBatch existing = batches.get(brand);
        if (existing != null) {
            if (existing.expected != expectedCount) {
                throw RegistryError.EXPECTED_COUNT_CONFLICT.with("brand '" + brand + "' is active with expected_count "
                        + existing.expected + "; cannot restart it with " + expectedCount);
            }
            return StartOutcome.ALREADY_ACTIVE;
        }
        chargeBudget(BrandBatch.BASE_BYTES, brand);
        BrandBatch batch = new BrandBatch(brand, expectedCount, now);
        batches.put(brand, batch);
        bytes += batch.bytes;
        return StartOutcome.CREATED;
    }

    public BatchOutcome submit(String brand, StoredResult result) {
        BrandBatch batch = require(brand);
        requireUrl(result.url());
        if (batch.contains(result.url())) {
            return duplicate(batch);
        }
        long cost = BrandBatch.ENTRY_BYTES + result.estimatedBytes();
        refuseBeyondExpected(batch, result.url());
        chargeBudget(cost, brand);
        batch.add(result);
        results++;
        return accepted(batch, cost);
    }

    public BatchOutcome fail(String brand, String url, String error) {
        BrandBatch batch = require(brand);
        requireUrl(url);
        if (batch.contains(url)) {
            return duplicate(batch);
        }
        FailedUrl failure = new FailedUrl(url, truncate(error == null ? "" : error));
        long cost = BrandBatch.ENTRY_BYTES + failure.estimatedBytes();
        refuseBeyondExpected(batch, url);
        chargeBudget(cost, brand);
        batch.add(failure);
        return accepted(batch, cost);
    }

    /**
     * Grants the commit to the caller when the batch is complete and nobody holds a live lease:
     * how a commit stranded by a crashed worker is taken over.
     */
    public BatchOutcome claimCommit(String brand) {
        BrandBatch batch = require(brand);
        long now = clock.millis();
        batch.updatedAtMillis = now;
        if (batch.isComplete() && batch.commitState(now) == CommitState.AVAILABLE) {
            return outcome(batch, false, grantLease(batch, now));
        }
        return outcome(batch, false, null);
    }

    /**
     * Gives a live commit lease back before it expires: a worker that stops without finishing
     * its commit calls this so the next {@link #claimCommit} grants the commit at once instead of
     * after {@code lease_ms}. Only the live lease's holder may release it; a lease that expired,
     * was taken over or never existed is refused and the batch is left as it was.
     */
    public void releaseLease(String brand, String leaseToken) {
        BrandBatch batch = require(brand);
        if (leaseToken == null || leaseToken.isEmpty()) {
            throw RegistryError.INVALID_FIELD.with("lease must be a non-empty string");
        }
        if (batch.lease == null) {
            throw RegistryError.COMMIT_NOT_GRANTED.with("brand '" + brand + "' has no commit lease to release: "
                    + batch.completed() + " of " + batch.expected + " urls done");
        }
        long now = clock.millis();
        if (!leaseToken.equals(batch.lease.token())) {
            throw RegistryError.LEASE_LOST.with("lease '" + leaseToken + "' for brand '" + brand
                    + "' is not the live lease: it expired and the commit was granted again");
        }
        if (!batch.lease.isLiveAt(now)) {
            throw RegistryError.LEASE_LOST.with("lease '" + leaseToken + "' for brand '" + brand
                    + "' already expired; the commit is open to /claim-commit");
        }
        batch.lease = batch.lease.releasedAt(now);
        // Released, not lapsed: the sweep must not report it as an expiry.
        batch.leaseExpiryReported = true;
        batch.updatedAtMillis = now;
    }

    /** The kept results in arrival order; an immutable snapshot safe to hand to another thread. */
    public List<StoredResult> results(String brand) {
        return results(brand, 0, Integer.MAX_VALUE);
    }

    /**
     * The results from {@code offset} in arrival order, at most {@code limit}: a page. Once the
     * batch is complete nothing more arrives, so a committer reading page after page sees every
     * result once.
     */
    public List<StoredResult> results(String brand, int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be at least 0 and limit at least 1, got " + offset
                    + " and " + limit);
        }
        BrandBatch batch = require(brand);
        batch.updatedAtMillis = clock.millis();
        return batch.results(offset, limit);
    }

    public List<FailedUrl> failures(String brand) {
        return List.copyOf(require(brand).failures());
    }

    /**
     * Ends a committed batch and frees all of its state. Without a lease token (the seed's
     * form) it is accepted once the commit was granted; with one, it must be the current lease,
     * or the caller is told that its lease expired and went to another worker.
     */
    public void commitComplete(String brand, String leaseToken) {
        BrandBatch batch = require(brand);
        if (batch.lease == null) {
            throw RegistryError.COMMIT_NOT_GRANTED.with("brand '" + brand + "' has no commit to complete: "
                    + batch.completed() + " of " + batch.expected + " urls done");
        }
        if (leaseToken != null && !leaseToken.equals(batch.lease.token())) {
            throw RegistryError.LEASE_LOST.with("lease '" + leaseToken + "' for brand '" + brand
                    + "' expired and the commit was granted to another worker");
        }
        remove(batch);
    }

    public BatchStatus status(String brand) {
        return require(brand).status(clock.millis());
    }

    /** Up to {@code limit} batches whose keys sort after {@code after} (null for the start). */
    public List<BatchStatus> list(String after, int limit) {
        long now = clock.millis();
        return batches.values().stream()
                .filter(b -> after == null || b.brand.compareTo(after) > 0)
                .sorted(Comparator.comparing(b -> b.brand))
                .limit(limit)
                .map(b -> b.status(now))
                .toList();
    }

    /**
     * Drops batches idle for longer than the idle expiry (unless a live lease protects them) and
     * reports, once each, the leases that expired since the last sweep.
     */
    public SweepReport sweep() {
        long now = clock.millis();
        List<String> expired = new ArrayList<>();
        List<String> leasesExpired = new ArrayList<>();
        Iterator<BrandBatch> it = batches.values().iterator();
        while (it.hasNext()) {
            BrandBatch batch = it.next();
            CommitState state = batch.commitState(now);
            if (state == CommitState.AVAILABLE && !batch.leaseExpiryReported) {
                batch.leaseExpiryReported = true;
                leasesExpired.add(batch.brand);
            }
            if (state != CommitState.LEASED && now - batch.updatedAtMillis >= limits.idleExpiryMillis()) {
                it.remove();
                release(batch);
                expired.add(batch.brand);
            }
        }
        return new SweepReport(expired, leasesExpired);
    }

    /** What a sweep changed: batches dropped for idleness and leases newly expired. */
    public record SweepReport(List<String> expired, List<String> leasesExpired) {
        public boolean isEmpty() {
            return expired.isEmpty() && leasesExpired.isEmpty();
        }
    }

    public int batchCount() {
        return batches.size();
    }

    public long resultCount() {
        return results;
    }

    public long bytes() {
        return bytes;
    }

    public long leasedCount() {
        long now = clock.millis();
        return batches.values().stream().filter(b -> b.commitState(now) == CommitState.LEASED).count();
    }

    public RegistryLimits limits() {
        return limits;
    }

    private BatchOutcome duplicate(BrandBatch batch) {
        batch.duplicates++;
        batch.updatedAtMillis = clock.millis();
        return outcome(batch, true, null);
    }

    private BatchOutcome accepted(BrandBatch batch, long cost) {
        long now = clock.millis();
        batch.updatedAtMillis = now;
        bytes += cost;
        CommitLease lease = batch.isComplete() ? grantLease(batch, now) : null;
        return outcome(batch, false, lease);
    }

    private CommitLease grantLease(BrandBatch batch, long now) {
        batch.lease = new CommitLease(tokens.get(), now, now + limits.leaseMillis());
        batch.leaseGrants++;
        batch.leaseExpiryReported = false;
        return batch.lease;
    }

    private static BatchOutcome outcome(BrandBatch batch, boolean duplicate, CommitLease lease) {
        return new BatchOutcome(batch.brand, lease != null, duplicate, batch.completed(), batch.failed(),
                batch.expected, lease);
    }

    private void refuseBeyondExpected(BrandBatch batch, String url) {
        if (batch.completed() >= batch.expected) {
            throw RegistryError.OVER_COUNT.with("brand '" + batch.brand + "' already has all " + batch.expected
                    + " expected urls; '" + url + "' would be one more");
        }
    }

    private void chargeBudget(long cost, String brand) {
        if (bytes + cost > limits.memoryBudgetBytes()) {
            throw RegistryError.MEMORY_BUDGET_EXCEEDED.with("registry memory budget of " + limits.memoryBudgetBytes()
                    + " bytes is full (" + bytes + " held); refused " + cost + " more for brand '" + brand + "'");
        }
    }

    private void remove(BrandBatch batch) {
        batches.remove(batch.brand);
        release(batch);
    }

    private void release(BrandBatch batch) {
        bytes -= batch.bytes;
        results -= batch.completed() - batch.failed();
    }

    private BrandBatch require(String brand) {
        requireBrand(brand);
        BrandBatch batch = batches.get(brand);
        if (batch == null) {
            throw RegistryError.UNKNOWN_BRAND.with("brand '" + brand + "' is not active (never started, committed, or expired)");
        }
        return batch;
    }

    private static void requireBrand(String brand) {
        if (brand == null || brand.isEmpty()) {
            throw RegistryError.INVALID_FIELD.with("brand must be a non-empty string");
        }
        if (brand.length() > RegistryLimits.MAX_BRAND_LENGTH) {
            throw RegistryError.INVALID_FIELD.with("brand must be at most " + RegistryLimits.MAX_BRAND_LENGTH + " characters");
        }
    }

    private static void requireUrl(String url) {
        if (url == null || url.isEmpty()) {
            throw RegistryError.INVALID_FIELD.with("url must be a non-empty string");
        }
        if (url.length() > RegistryLimits.MAX_URL_LENGTH) {
            throw RegistryError.INVALID_FIELD.with("url must be at most " + RegistryLimits.MAX_URL_LENGTH + " characters");
        }
    }

    private static String truncate(String error) {
        return error.length() <= RegistryLimits.MAX_ERROR_LENGTH ? error : error.substring(0, RegistryLimits.MAX_ERROR_LENGTH);
    }
}
