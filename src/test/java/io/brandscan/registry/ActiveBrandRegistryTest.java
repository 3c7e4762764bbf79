package io.brandscan.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.time.SettableClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActiveBrandRegistryTest {
    private static final long LEASE = 30_000;
    private static final long IDLE = 600_000;

    private SettableClock clock;
    private ActiveBrandRegistry registry;

    @BeforeEach
    void setUp() {
        clock = SettableClock.startingAt("2026-11-22T10:00:00Z");
        AtomicInteger tokens = new AtomicInteger();
        registry = new ActiveBrandRegistry(clock, new RegistryLimits(LEASE, IDLE, 10_000_000),
                () -> "lease-" + tokens.incrementAndGet());
    }

    private static StoredResult result(String url) {
        return new StoredResult(url, new float[] {0.5f, -1f}, "\"s3_path\":\"s3://b/k\"".getBytes(StandardCharsets.UTF_8));
    }

    private static RegistryError refusal(Runnable call) {
        return assertThrows(RegistryException.class, call::run).error();
    }

    @Test
    void theRequestThatCompletesTheBatchAndOnlyItIsGrantedTheCommit() {
        registry.start("nike", 3);
        assertFalse(registry.submit("nike", result("u1")).shouldCommit());
        assertFalse(registry.submit("nike", result("u2")).shouldCommit());
        BatchOutcome last = registry.submit("nike", result("u3"));
        assertTrue(last.shouldCommit());
        assertEquals("lease-1", last.lease().token());
        assertEquals(clock.millis() + LEASE, last.lease().expiresAtMillis());
        assertEquals(3, last.completed());
        assertEquals(List.of("u1", "u2", "u3"), registry.results("nike").stream().map(StoredResult::url).toList());
    }

    @Test
    void aRepeatedUrlIsADuplicateThatNeverCountsTwiceAndKeepsTheFirstResult() {
        registry.start("nike", 2);
        registry.submit("nike", new StoredResult("u1", new float[] {1f}, null));
        BatchOutcome again = registry.submit("nike", new StoredResult("u1", new float[] {2f}, null));
        assertTrue(again.duplicate());
        assertFalse(again.shouldCommit());
        assertEquals(1, again.completed());
        assertArrayEquals(new float[] {1f}, registry.results("nike").get(0).embedding());
        assertTrue(registry.submit("nike", result("u2")).shouldCommit());
        BatchOutcome afterComplete = registry.submit("nike", result("u2"));
        assertTrue(afterComplete.duplicate());
        assertFalse(afterComplete.shouldCommit(), "a duplicate after completion never triggers a second commit");
        assertEquals(2, registry.status("nike").duplicates());
    }

    @Test
    void aFailedUrlCountsTowardCompletionKeepsItsErrorAndCanCompleteTheBatch() {
        registry.start("nike", 2);
        registry.submit("nike", result("u1"));
        BatchOutcome failed = registry.fail("nike", "u2", "HTTP 500 from cdn");
        assertTrue(failed.shouldCommit());
        assertEquals(1, failed.failed());
        assertEquals(List.of(new FailedUrl("u2", "HTTP 500 from cdn")), registry.failures("nike"));
        assertEquals(1, registry.results("nike").size(), "failures are not results");
        assertTrue(registry.fail("nike", "u1", "late").duplicate(), "a url already done is not failed afterwards");
        BatchStatus status = registry.status("nike");
        assertEquals(2, status.completed());
        assertEquals(1, status.succeeded());
    }

    @Test
    void aNewDistinctUrlBeyondTheExpectedCountIsRefusedAndChangesNothing() {
        registry.start("nike", 1);
        registry.submit("nike", result("u1"));
        BatchStatus before = registry.status("nike");
        assertEquals(RegistryError.OVER_COUNT, refusal(() -> registry.submit("nike", result("u2"))));
        assertEquals(RegistryError.OVER_COUNT, refusal(() -> registry.fail("nike", "u3", "x")));
        assertEquals(before, registry.status("nike"));
        assertEquals(1, registry.results("nike").size());
    }

    @Test
    void startIsIdempotentForTheSameCountAndConflictsForAnother() {
        assertEquals(ActiveBrandRegistry.StartOutcome.CREATED, registry.start("nike", 5));
        registry.submit("nike", result("u1"));
        assertEquals(ActiveBrandRegistry.StartOutcome.ALREADY_ACTIVE, registry.start("nike", 5));
        assertEquals(1, registry.status("nike").completed(), "a repeated start leaves progress alone");
        assertEquals(RegistryError.EXPECTED_COUNT_CONFLICT, refusal(() -> registry.start("nike", 6)));
        assertEquals(5, registry.status("nike").expected());
        assertEquals(RegistryError.INVALID_FIELD, refusal(() -> registry.start("adidas", 0)));
        assertEquals(RegistryError.INVALID_FIELD, refusal(() -> registry.start("", 3)));
        assertEquals(1, registry.batchCount());
    }

    @Test
    void unknownBrandsAreRefusedEverywhere() {
        assertEquals(RegistryError.UNKNOWN_BRAND, refusal(() -> registry.submit("ghost", result("u"))));
        assertEquals(RegistryError.UNKNOWN_BRAND, refusal(() -> registry.fail("ghost", "u", "e")));
        assertEquals(RegistryError.UNKNOWN_BRAND, refusal(() -> registry.results("ghost")));
        assertEquals(RegistryError.UNKNOWN_BRAND, refusal(() -> registry.commitComplete("ghost", null)));
        assertEquals(RegistryError.UNKNOWN_BRAND, refusal(() -> registry.claimCommit("ghost")));
        assertEquals(RegistryError.UNKNOWN_BRAND, refusal(() -> registry.status("ghost")));
    }

    @Test
    void commitCompleteRemovesAllStateAndFreesTheBudget() {
        registry.start("nike", 1);
        long emptyBytes = registry.bytes();
        registry.submit("nike", result("u1"));
        assertTrue(registry.bytes() > emptyBytes);
        registry.commitComplete("nike", null);
        assertEquals(0, registry.batchCount());
        assertEquals(0, registry.bytes());
        assertEquals(0, registry.resultCount());
        assertEquals(RegistryError.UNKNOWN_BRAND, refusal(() -> registry.commitComplete("nike", null)));
    }

    @Test
    void commitCompleteBeforeTheCommitWasGrantedIsRefused() {
        registry.start("nike", 2);
        registry.submit("nike", result("u1"));
        assertEquals(RegistryError.COMMIT_NOT_GRANTED, refusal(() -> registry.commitComplete("nike", null)));
        assertEquals(1, registry.status("nike").completed());
    }

    @Test
    void anExpiredLeaseIsOfferedAgainAndTheOldHolderLearnsItLost() {
        registry.start("nike", 1);
        CommitLease first = registry.submit("nike", result("u1")).lease();
        assertFalse(registry.claimCommit("nike").shouldCommit(), "no takeover while the lease is live");
        assertEquals(CommitState.LEASED, registry.status("nike").commitState());

        clock.advanceMillis(LEASE);
        assertEquals(CommitState.AVAILABLE, registry.status("nike").commitState());
        ActiveBrandRegistry.SweepReport report = registry.sweep();
        assertEquals(List.of("nike"), report.leasesExpired());
        assertTrue(registry.sweep().leasesExpired().isEmpty(), "an expiry is reported once");

        BatchOutcome takeover = registry.claimCommit("nike");
        assertTrue(takeover.shouldCommit());
        assertNotEquals(first.token(), takeover.lease().token());
        assertFalse(registry.claimCommit("nike").shouldCommit(), "only one takeover per lease");
        assertEquals(2, registry.status("nike").leaseGrants());

        assertEquals(RegistryError.LEASE_LOST, refusal(() -> registry.commitComplete("nike", first.token())));
        assertEquals(1, registry.batchCount(), "the loser's report changes nothing");
        registry.commitComplete("nike", takeover.lease().token());
        assertEquals(0, registry.batchCount());
    }

    @Test
    void aReleasedLeaseIsClaimedAtOnceWithoutWaitingForItsExpiry() {
        registry.start("nike", 1);
        CommitLease first = registry.submit("nike", result("u1")).lease();
        clock.advanceMillis(1_000);
        registry.releaseLease("nike", first.token());

        BatchStatus released = registry.status("nike");
        assertEquals(CommitState.AVAILABLE, released.commitState(), "open to a claim a second after the grant");
        assertEquals(clock.millis(), released.leaseExpiresAtMillis());
        assertEquals(clock.millis(), released.updatedAtMillis());
        assertEquals(0, registry.leasedCount());
        assertTrue(registry.sweep().leasesExpired().isEmpty(), "a release is not reported as an expiry");

        BatchOutcome takeover = registry.claimCommit("nike");
        assertTrue(takeover.shouldCommit());
        assertEquals("lease-2", takeover.lease().token());
        assertEquals(clock.millis() + LEASE, takeover.lease().expiresAtMillis(), "the new holder gets a whole lease");
        assertEquals(2, registry.status("nike").leaseGrants());
        assertFalse(registry.claimCommit("nike").shouldCommit(), "one claim per release");

        assertEquals(RegistryError.LEASE_LOST, refusal(() -> registry.commitComplete("nike", first.token())));
        registry.commitComplete("nike", takeover.lease().token());
        assertEquals(0, registry.batchCount());
    }

    @Test
    void onlyTheLiveLeasesHolderCanReleaseItAndARefusalChangesNothing() {
        registry.start("nike", 2);
        registry.submit("nike", result("u1"));
        assertEquals(RegistryError.COMMIT_NOT_GRANTED, refusal(() -> registry.releaseLease("nike", "lease-1")),
                "nothing to release before the batch is complete");
        CommitLease live = registry.submit("nike", result("u2")).lease();
        BatchStatus before = registry.status("nike");

        assertEquals(RegistryError.LEASE_LOST, refusal(() -> registry.releaseLease("nike", "not-the-lease")));
        assertEquals(RegistryError.INVALID_FIELD, refusal(() -> registry.releaseLease("nike", "")));
        assertEquals(RegistryError.INVALID_FIELD, refusal(() -> registry.releaseLease("nike", null)));
        assertEquals(RegistryError.UNKNOWN_BRAND, refusal(() -> registry.releaseLease("ghost", live.token())));
        assertEquals(RegistryError.INVALID_FIELD, refusal(() -> registry.releaseLease("", live.token())));
        assertEquals(before, registry.status("nike"), "refusals leave the batch as it was");
        assertFalse(registry.claimCommit("nike").shouldCommit(), "the lease is still live");

        clock.advanceMillis(LEASE);
        assertEquals(RegistryError.LEASE_LOST, refusal(() -> registry.releaseLease("nike", live.token())),
                "an expired lease is no longer its holder's to release");
        CommitLease second = registry.claimCommit("nike").lease();
        assertEquals(RegistryError.LEASE_LOST, refusal(() -> registry.releaseLease("nike", live.token())),
                "the old holder cannot release its successor's lease");
        assertEquals(CommitState.LEASED, registry.status("nike").commitState());

        registry.releaseLease("nike", second.token());
        assertEquals(RegistryError.LEASE_LOST, refusal(() -> registry.releaseLease("nike", second.token())),
                "a lease is released once");
        assertEquals(CommitState.AVAILABLE, registry.status("nike").commitState());
    }

    @Test
    void aReleasedBatchStillExpiresWhenNobodyClaimsIt() {
        registry.start("nike", 1);
        CommitLease lease = registry.submit("nike", result("u1")).lease();
        registry.releaseLease("nike", lease.token());
        clock.advanceMillis(IDLE - 1);
        assertTrue(registry.sweep().expired().isEmpty());
        clock.advanceMillis(1);
        assertEquals(List.of("nike"), registry.sweep().expired(), "a released lease no longer protects the batch");
        assertEquals(0, registry.bytes());
    }

    @Test
    void aLateCommitCompleteIsAcceptedWhenNobodyElseTookTheLease() {
        registry.start("nike", 1);
        CommitLease lease = registry.submit("nike", result("u1")).lease();
        clock.advanceMillis(LEASE * 3);
        registry.commitComplete("nike", lease.token());
        assertEquals(0, registry.batchCount());
    }

    @Test
    void claimingAnIncompleteBatchGrantsNothing() {
        registry.start("nike", 2);
        registry.submit("nike", result("u1"));
        BatchOutcome claim = registry.claimCommit("nike");
        assertFalse(claim.shouldCommit());
        assertNull(claim.lease());
        assertEquals(1, claim.completed());
    }

    @Test
    void idleBatchesExpireWhileActivityKeepsOthersAlive() {
        registry.start("idle", 2);
        registry.start("busy", 2);
        registry.start("committed-late", 1);
        registry.submit("committed-late", result("u1"));
        clock.advanceMillis(IDLE - 1);
        registry.submit("busy", result("u1"));
        assertTrue(registry.sweep().expired().isEmpty());
        clock.advanceMillis(1);
        List<String> expired = registry.sweep().expired();
        assertTrue(expired.contains("idle"));
        assertTrue(expired.contains("committed-late"), "an expired lease does not protect an idle batch");
        assertFalse(expired.contains("busy"));
        assertEquals(RegistryError.UNKNOWN_BRAND, refusal(() -> registry.status("idle")));
        clock.advanceMillis(IDLE);
        assertEquals(List.of("busy"), registry.sweep().expired());
        assertEquals(0, registry.batchCount());
        assertEquals(0, registry.bytes());
    }

    @Test
    void aLiveLeaseProtectsABatchFromIdleExpiry() {
        ActiveBrandRegistry longLeases = new ActiveBrandRegistry(clock, new RegistryLimits(IDLE * 2, IDLE, 10_000_000));
        longLeases.start("nike", 1);
        longLeases.submit("nike", result("u1"));
        clock.advanceMillis(IDLE + 1);
        assertTrue(longLeases.sweep().expired().isEmpty());
        clock.advanceMillis(IDLE);
        assertEquals(List.of("nike"), longLeases.sweep().expired());
    }

    @Test
    void theMemoryBudgetRefusesNewWorkWithoutLosingWhatWasAccepted() {
        long budget = BrandBatch.BASE_BYTES * 2 + 3 * (BrandBatch.ENTRY_BYTES + result("u0").estimatedBytes());
        ActiveBrandRegistry small = new ActiveBrandRegistry(clock, new RegistryLimits(LEASE, IDLE, budget));
        small.start("a", 10);
        small.start("b", 10);
        small.submit("a", result("u0"));
        small.submit("a", result("u1"));
        small.submit("b", result("u2"));
        assertEquals(budget, small.bytes());
        assertEquals(RegistryError.MEMORY_BUDGET_EXCEEDED, refusal(() -> small.submit("a", result("u3"))));
        assertEquals(RegistryError.MEMORY_BUDGET_EXCEEDED, refusal(() -> small.start("c", 1)));
        assertTrue(small.submit("a", result("u1")).duplicate(), "duplicates still answer when full");
        assertEquals(2, small.status("a").completed());
        assertEquals(3, small.resultCount());
        assertEquals(budget, small.bytes());
    }

    @Test
    void listingIsSortedAndPaged() {
        for (String brand : List.of("c", "a", "d", "b")) {
            registry.start(brand, 1);
        }
        assertEquals(List.of("a", "b"), registry.list(null, 2).stream().map(BatchStatus::brand).toList());
        assertEquals(List.of("c", "d"), registry.list("b", 2).stream().map(BatchStatus::brand).toList());
        assertTrue(registry.list("d", 2).isEmpty());
    }

    @Test
    void resultsAreASnapshotThatLaterSubmitsDoNotChange() {
        registry.start("nike", 3);
        registry.submit("nike", result("u1"));
        List<StoredResult> snapshot = registry.results("nike");
        registry.submit("nike", result("u2"));
        assertEquals(1, snapshot.size());
        assertNotNull(snapshot.get(0).embedding());
        assertEquals(2, registry.results("nike").size());
    }

    @Test
    void urlsAndErrorsAreBounded() {
        registry.start("nike", 2);
        String longUrl = "https://x/" + "a".repeat(RegistryLimits.MAX_URL_LENGTH);
        assertEquals(RegistryError.INVALID_FIELD, refusal(() -> registry.submit("nike", result(longUrl))));
        registry.fail("nike", "u1", "e".repeat(RegistryLimits.MAX_ERROR_LENGTH * 2));
        assertEquals(RegistryLimits.MAX_ERROR_LENGTH, registry.failures("nike").get(0).error().length());
    }
}
