package io.brandscan.store;

import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanCounts;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanFailure;
import io.brandscan.scan.ScanState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static io.brandscan.store.StoreFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scans and their events in a real mongo-java-server: atomic transitions, counts, failures, isolation. */
class ScanRepositoryTest {
    private static StoreFixture fixture;
    private static ScanRepository scans;

    @BeforeAll
    static void start() throws Exception {
        fixture = new StoreFixture("scan_repository_test", new StoreSettings(500, 10, 500, 1000));
        scans = fixture.store.scans();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aCreatedScanIsQueuedAndReadsBack() throws Exception {
        Scan created = await(scans.create("acme", "brand-1"));
        Scan read = await(scans.get("acme", created.id())).orElseThrow();
        assertEquals(ScanState.QUEUED, read.state());
        assertEquals(created, read, "what was stored is what comes back");
        assertEquals(fixture.clock.instant(), read.stateTimes().get(ScanState.QUEUED));
        assertTrue(read.batchKey().isEmpty());
        ExecutionException duplicate = assertThrows(ExecutionException.class,
                () -> await(scans.create("acme", created.id(), "brand-1")));
        assertTrue(String.valueOf(duplicate.getCause()).contains("E11000"));
        assertInstanceOf(IllegalArgumentException.class,
                assertThrows(ExecutionException.class, () -> await(scans.create("acme", "bad/id", "b"))).getCause());
    }

    @Test
    void listIsNewestFirstAndPaged() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            fixture.clock.advance(Duration.ofSeconds(1));
            ids.add(await(scans.create("lister", "scan-list-" + i, "b")).id());
        }
        List<String> page1 = await(scans.list("lister", Page.first(3))).stream().map(Scan::id).toList();
        List<String> page2 = await(scans.list("lister", Page.first(3).next())).stream().map(Scan::id).toList();
        List<String> page3 = await(scans.list("lister", new Page(6, 3))).stream().map(Scan::id).toList();
        assertEquals(List.of("scan-list-6", "scan-list-5", "scan-list-4"), page1);
        assertEquals(List.of("scan-list-3", "scan-list-2", "scan-list-1"), page2);
        assertEquals(List.of("scan-list-0"), page3);
    }

    @Test
    void transitionsFollowTheTableAndTerminalStatesAreFinal() throws Exception {
        Scan scan = await(scans.create("acme", "brand-1"));
        String id = scan.id();
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class,
                () -> await(scans.transition("acme", id, Set.of(ScanState.QUEUED), ScanState.SCORING))).getCause(),
                "a move the table forbids is refused before any write");
        assertTrue(await(scans.transition("acme", id, Set.of(ScanState.ACQUIRING), ScanState.COMMITTING)).isEmpty(),
                "the scan is queued, not acquiring");
        assertEquals(ScanState.QUEUED, await(scans.get("acme", id)).orElseThrow().state());

        fixture.clock.advance(Duration.ofSeconds(5));
        Scan gathering = await(scans.beginGather("acme", id, 3)).orElseThrow();
        assertEquals(ScanState.GATHERING, gathering.state());
        assertEquals(fixture.clock.instant(), gathering.stateTimes().get(ScanState.GATHERING));
        assertEquals("acme/" + id + "/1", gathering.batchKey().orElseThrow().toString());
        Scan acquiring = await(scans.transition("acme", id, Set.of(ScanState.GATHERING), ScanState.ACQUIRING,
                new JsonObject().put("provider_pages", 3))).orElseThrow();
        assertEquals(ScanState.ACQUIRING, acquiring.state());
        assertEquals(3, await(fixture.mongo.findOne("scans", new JsonObject().put("_id", id), null)).getInteger("provider_pages"),
                "extra fields are written with the move");

        Scan failed = await(scans.fail("acme", id, "registry batch lost 3 times")).orElseThrow();
        assertEquals(ScanState.FAILED, failed.state());
        assertEquals("registry batch lost 3 times", failed.error());
        for (ScanState target : EnumSet.of(ScanState.GATHERING, ScanState.CANCELLED, ScanState.COMPLETE)) {
            assertTrue(await(scans.transition("acme", id, ScanState.allowedFrom(target), target)).isEmpty(),
                    "failed is final: " + target);
        }
        assertTrue(await(scans.cancel("acme", id)).isEmpty());
        assertTrue(await(scans.fail("acme", id, "again")).isEmpty());
        assertEquals("registry batch lost 3 times", await(scans.get("acme", id)).orElseThrow().error(), "the first reason stays");
    }

    @Test
    void fieldsOwnedByTheRepositoryCannotBeSetByATransition() throws Exception {
        Scan scan = await(scans.create("acme", "brand-1"));
        for (String key : List.of("state", "client_id", "counts.gathered", "$inc", "committed_batch", "event_seq")) {
            assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class,
                    () -> await(scans.transition("acme", scan.id(), Set.of(ScanState.QUEUED), ScanState.GATHERING,
                            new JsonObject().put(key, "x")))).getCause(), key);
        }
        assertEquals(ScanState.QUEUED, await(scans.get("acme", scan.id())).orElseThrow().state());
    }

    @Test
    void ofManyWorkersRacingOnOneTransitionExactlyOneWins() throws Exception {
        MongoClient otherWorker = fixture.mongoClient("scan_repository_test", "other-worker");
        try {
            ScanRepository other = new ScanRepository(otherWorker, StoreSettings.DEFAULTS, fixture.clock);
            for (int round = 0; round < 5; round++) {
                Scan scan = await(scans.create("acme", "brand-1"));
                await(scans.beginGather("acme", scan.id(), 1));
                await(scans.transition("acme", scan.id(), Set.of(ScanState.GATHERING), ScanState.ACQUIRING));
                List<Future<Optional<Scan>>> racers = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    ScanRepository worker = i % 2 == 0 ? scans : other;
                    racers.add(worker.transition("acme", scan.id(), Set.of(ScanState.ACQUIRING), ScanState.COMMITTING,
                            new JsonObject().put("committer", "worker-" + i)));
                }
                await(Future.all(racers));
                List<Scan> winners = racers.stream().map(f -> f.result()).filter(Optional::isPresent).map(Optional::get).toList();
                assertEquals(1, winners.size(), "exactly one of ten racers moves the scan");
                Object committer = await(fixture.mongo.findOne("scans", new JsonObject().put("_id", scan.id()), null)).getValue("committer");
                assertEquals(winners.get(0).state(), ScanState.COMMITTING);
                assertTrue(String.valueOf(committer).startsWith("worker-"));
            }
        } finally {
            await(otherWorker.close());
        }
    }

    @Test
    void twoHundredConcurrentIncrementsAreExact() throws Exception {
        Scan scan = await(scans.create("acme", "brand-1"));
        await(scans.beginGather("acme", scan.id(), 1));
        List<Future<Boolean>> increments = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ScanCounts delta = i % 4 == 0 ? ScanCounts.failed(1) : ScanCounts.acquired(1).plus(ScanCounts.gathered(2));
            increments.add(scans.incrementCounts("acme", scan.id(), delta));
        }
        await(Future.all(increments));
        assertTrue(increments.stream().allMatch(Future::result));
        ScanCounts counts = await(scans.get("acme", scan.id())).orElseThrow().counts();
        assertEquals(new ScanCounts(300, 150, 50, 0, 0, 0), counts);
    }

    @Test
    void perUrlIncrementsLandOnlyInTheirStatesAndAttempt() throws Exception {
        Scan scan = await(scans.create("acme", "brand-1"));
        Scan gathering = await(scans.beginGather("acme", scan.id(), 3)).orElseThrow();
        int attempt = gathering.gatherAttempts();
        Set<ScanState> counting = Set.of(ScanState.GATHERING, ScanState.ACQUIRING);
        assertTrue(await(scans.incrementCountsWhile("acme", scan.id(), attempt, counting, ScanCounts.acquired(1))));
        await(scans.transition("acme", scan.id(), Set.of(ScanState.GATHERING), ScanState.ACQUIRING)).orElseThrow();
        assertTrue(await(scans.incrementCountsWhile("acme", scan.id(), attempt, counting, ScanCounts.failed(1))));
        assertFalse(await(scans.incrementCountsWhile("acme", scan.id(), attempt + 1, counting, ScanCounts.acquired(1))),
                "another attempt's increment");
        await(scans.transition("acme", scan.id(), Set.of(ScanState.ACQUIRING), ScanState.COMMITTING)).orElseThrow();
        // A url's increment arriving after the commit took the counts over: it must not count twice.
        assertFalse(await(scans.incrementCountsWhile("acme", scan.id(), attempt, counting, ScanCounts.acquired(1))));
        assertFalse(await(scans.incrementCountsWhile("bogus client!", scan.id(), attempt, counting, ScanCounts.acquired(1))));
        ScanCounts counts = await(scans.get("acme", scan.id())).orElseThrow().counts();
        assertEquals(1, counts.acquired());
        assertEquals(1, counts.failed());
        // The unconditional form still counts in committing (the commit's own top-up uses it).
        assertTrue(await(scans.incrementCounts("acme", scan.id(), ScanCounts.acquired(2))));
        assertEquals(3, await(scans.get("acme", scan.id())).orElseThrow().counts().acquired());
    }

    @Test
    void aFinishedScanTakesNoMoreCountsOrFailures() throws Exception {
        Scan scan = await(scans.create("acme", "brand-1"));
        await(scans.cancel("acme", scan.id()));
        assertFalse(await(scans.incrementCounts("acme", scan.id(), ScanCounts.acquired(1))));
        assertFalse(await(scans.addFailures("acme", scan.id(),
                List.of(new ScanFailure("http://x/1", "late", fixture.clock.instant())))));
        Scan after = await(scans.get("acme", scan.id())).orElseThrow();
        assertEquals(ScanCounts.ZERO, after.counts());
        assertEquals(0, after.failureTotal());
    }

    @Test
    void failuresAreBoundedAndTheTotalIsExact() throws Exception {
        Scan scan = await(scans.create("acme", "brand-1"));
        await(scans.beginGather("acme", scan.id(), 1));
        // First batch alone so we know which ones are kept: the first failures_kept (10).
        await(scans.addFailures("acme", scan.id(), failures("first", 4)));
        List<Future<Boolean>> more = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            more.add(scans.addFailures("acme", scan.id(), failures("later-" + i, 3)));
        }
        await(Future.all(more));
        Scan after = await(scans.get("acme", scan.id())).orElseThrow();
        assertEquals(64, after.failureTotal());
        assertEquals(10, after.failures().size(), "only failures_kept are kept");
        for (int i = 0; i < 4; i++) {
            assertEquals("http://bad.example/first/" + i, after.failures().get(i).url());
            assertEquals("HTTP 500 on first " + i, after.failures().get(i).error());
        }
    }

    @Test
    void aBrandSnapshotIsStoredWithTheScanAndOnlyItsClientReadsIt() throws Exception {
        JsonObject brand = new JsonObject().put("name", "Acme").put("provider",
                new JsonObject().put("type", "json-feed").put("url", "http://127.0.0.1:1/feed"));
        Scan scan = await(scans.create("acme", "brand-1", brand));
        brand.put("name", "changed after the scan started");
        JsonObject stored = await(scans.brand("acme", scan.id())).orElseThrow();
        assertEquals("Acme", stored.getString("name"), "the snapshot is a copy taken at creation");
        assertEquals("json-feed", stored.getJsonObject("provider").getString("type"));
        assertEquals(ScanState.QUEUED, await(scans.get("acme", scan.id())).orElseThrow().state());
        assertTrue(await(scans.brand("other", scan.id())).isEmpty(), "another client cannot read it");
        Scan plain = await(scans.create("acme", "brand-1"));
        assertTrue(await(scans.brand("acme", plain.id())).isEmpty(), "a scan made without one has none");
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class,
                () -> await(scans.transition("acme", scan.id(), Set.of(ScanState.QUEUED), ScanState.GATHERING,
                        new JsonObject().put("brand", new JsonObject())))).getCause(), "the snapshot is not writable");
    }

    @Test
    void finishingAGatherSetsTheCountOnceAndOnlyForTheCurrentAttempt() throws Exception {
        Scan scan = await(scans.create("acme", "brand-1"));
        String id = scan.id();
        await(scans.beginGather("acme", id, 3)).orElseThrow();
        assertTrue(await(scans.finishGather("acme", id, 2, 7)).isEmpty(), "attempt 2 has not begun");
        Scan acquiring = await(scans.finishGather("acme", id, 1, 7)).orElseThrow();
        assertEquals(ScanState.ACQUIRING, acquiring.state());
        assertEquals(7, acquiring.counts().gathered());
        assertTrue(await(scans.finishGather("acme", id, 1, 7)).isEmpty(), "a repeat finds the scan already acquiring");
        assertEquals(7, await(scans.get("acme", id)).orElseThrow().counts().gathered(), "and does not add again");
    }

    @Test
    void regatheringCountsAttemptsResetsProgressAndStopsAtTheLimit() throws Exception {
        Scan scan = await(scans.create("acme", "brand-1"));
        String id = scan.id();
        for (int attempt = 1; attempt <= 2; attempt++) {
            Scan gathering = await(scans.beginGather("acme", id, 2)).orElseThrow();
            assertEquals(attempt, gathering.gatherAttempts());
            assertEquals(ScanCounts.ZERO, gathering.counts(), "a new attempt starts from zero");
            assertEquals(0, gathering.failureTotal());
            await(scans.transition("acme", id, Set.of(ScanState.GATHERING), ScanState.ACQUIRING));
            await(scans.incrementCounts("acme", id, ScanCounts.gathered(5).plus(ScanCounts.acquired(2))));
            await(scans.addFailures("acme", id, failures("a" + attempt, 2)));
        }
        assertTrue(await(scans.beginGather("acme", id, 2)).isEmpty(), "the third attempt is over the limit of 2");
        Scan stillAcquiring = await(scans.get("acme", id)).orElseThrow();
        assertEquals(ScanState.ACQUIRING, stillAcquiring.state());
        assertEquals("acme/" + id + "/2", stillAcquiring.batchKey().orElseThrow().toString());
        assertInstanceOf(IllegalArgumentException.class,
                assertThrows(ExecutionException.class, () -> await(scans.beginGather("acme", id, 0))).getCause());
    }

    @Test
    void theWatchdogFindsOnlyScansStuckInAcquiringOrCommitting() throws Exception {
        Instant start = fixture.clock.instant();
        String stuckAcquiring = stuckIn("wd-a", ScanState.ACQUIRING);
        String stuckCommitting = stuckIn("wd-b", ScanState.COMMITTING);
        String stuckScoring = stuckIn("wd-a", ScanState.SCORING);
        fixture.clock.advance(Duration.ofMinutes(10));
        String fresh = stuckIn("wd-a", ScanState.ACQUIRING);
        Instant cutoff = fixture.clock.instant().minus(Duration.ofMinutes(5));

        List<String> found = await(scans.stuck(cutoff, 100)).stream().map(Scan::id).toList();
        assertTrue(found.contains(stuckAcquiring), "acquiring and idle");
        assertTrue(found.contains(stuckCommitting), "committing and idle, another client");
        assertFalse(found.contains(stuckScoring), "scoring is not watched");
        assertFalse(found.contains(fresh), "recently updated");
        assertTrue(await(scans.stuck(start, 100)).stream().noneMatch(s -> s.id().equals(stuckAcquiring)),
                "nothing updated before the scans existed");

        // Progress keeps a scan off the list.
        await(scans.incrementCounts("wd-a", stuckAcquiring, ScanCounts.acquired(1)));
        assertFalse(await(scans.stuck(cutoff, 100)).stream().anyMatch(s -> s.id().equals(stuckAcquiring)));
    }

    @Test
    void concurrentEventsGetUniqueIncreasingSequencesAndResumeFromAnyOfThem() throws Exception {
        Scan scan = await(scans.create("acme", "brand-1"));
        List<Future<Optional<ScanEvent>>> appends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            appends.add(scans.appendEvent(ScanEvent.draft(scan, ScanEvent.Type.PROGRESS, "tick " + i, fixture.clock.instant())));
        }
        await(Future.all(appends));
        List<Long> sequences = appends.stream().map(f -> f.result().orElseThrow().sequence()).sorted().toList();
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= 100; s++) {
            expected.add(s);
        }
        assertEquals(expected, sequences, "1..100, each once");

        List<ScanEvent> after60 = await(scans.eventsAfter("acme", scan.id(), 60, 1000));
        assertEquals(expected.subList(60, 100), after60.stream().map(ScanEvent::sequence).toList());
        assertEquals(List.of(1L, 2L, 3L), await(scans.eventsAfter("acme", scan.id(), 0, 3)).stream()
                .map(ScanEvent::sequence).toList(), "limit");
        assertTrue(await(scans.eventsAfter("acme", scan.id(), 100, 10)).isEmpty());
        ScanEvent one = after60.get(0);
        assertEquals(ScanEvent.Type.PROGRESS, one.type());
        assertEquals(ScanState.QUEUED, one.state());
        assertTrue(one.detail().startsWith("tick "));

        Scan other = await(scans.create("acme", "brand-1"));
        ScanEvent first = await(scans.appendEvent(ScanEvent.draft(other, ScanEvent.Type.STATE, null, fixture.clock.instant())))
                .orElseThrow();
        assertEquals(1, first.sequence(), "sequences are per scan");
    }

    @Test
    void anotherClientCannotReadOrChangeAScanThroughAnyMethod() throws Exception {
        Scan mine = await(scans.create("client-a", "brand-1"));
        String id = mine.id();
        await(scans.beginGather("client-a", id, 1));
        await(scans.appendEvent(ScanEvent.draft(mine, ScanEvent.Type.STATE, null, fixture.clock.instant())));

        assertTrue(await(scans.get("client-b", id)).isEmpty());
        assertTrue(await(scans.list("client-b", Page.first(100))).stream().noneMatch(s -> s.id().equals(id)));
        assertTrue(await(scans.transition("client-b", id, Set.of(ScanState.GATHERING), ScanState.ACQUIRING)).isEmpty());
        assertTrue(await(scans.beginGather("client-b", id, 5)).isEmpty());
        assertTrue(await(scans.fail("client-b", id, "x")).isEmpty());
        assertTrue(await(scans.cancel("client-b", id)).isEmpty());
        assertFalse(await(scans.incrementCounts("client-b", id, ScanCounts.acquired(1))));
        assertFalse(await(scans.addFailures("client-b", id, failures("b", 1))));
        Scan forged = new Scan(id, "client-b", "brand-1", ScanState.GATHERING, null, null, 0, 1, null,
                fixture.clock.instant(), fixture.clock.instant(), null, null);
        assertTrue(await(scans.appendEvent(ScanEvent.draft(forged, ScanEvent.Type.STATE, null, fixture.clock.instant()))).isEmpty());
        assertTrue(await(scans.eventsAfter("client-b", id, 0, 100)).isEmpty());
        // Malformed client ids read as missing too, never as "all clients".
        assertTrue(await(scans.get(null, id)).isEmpty());
        assertTrue(await(scans.get("", id)).isEmpty());
        assertTrue(await(scans.list(null, Page.first(10))).isEmpty());

        Scan untouched = await(scans.get("client-a", id)).orElseThrow();
        assertEquals(ScanState.GATHERING, untouched.state());
        assertEquals(ScanCounts.ZERO, untouched.counts());
        assertEquals(0, untouched.failureTotal());
        assertEquals(1, await(scans.eventsAfter("client-a", id, 0, 100)).size());
    }

    @Test
    void theStoreOpensFromConfigurationAndRefusesBadBounds() throws Exception {
        JsonObject mongoConf = fixture.services.adapterConfig().getJsonObject("mongo").copy()
                .put("db_name", "scan_repository_test").put("pool_name", "open-test");
        ScanStore opened = await(ScanStore.open(fixture.vertx, mongoConf, new JsonObject().put("bulk_chunk", 100), fixture.clock));
        try {
            Scan scan = await(opened.scans().create("acme", "brand-1"));
            assertEquals(scan, await(scans.get("acme", scan.id())).orElseThrow(), "same database, seen by the other store");
        } finally {
            await(opened.close());
        }
        assertInstanceOf(IllegalArgumentException.class, assertThrows(ExecutionException.class,
                () -> await(ScanStore.open(fixture.vertx, mongoConf, new JsonObject().put("bulk_chunk", 0), fixture.clock))).getCause());
    }

    private static String stuckIn(String client, ScanState target) throws Exception {
        Scan scan = await(scans.create(client, "brand-1"));
        await(scans.beginGather(client, scan.id(), 1));
        ScanState at = ScanState.GATHERING;
        for (ScanState next : List.of(ScanState.ACQUIRING, ScanState.COMMITTING, ScanState.SCORING)) {
            if (at == target) {
                break;
            }
            await(scans.transition(client, scan.id(), Set.of(at), next)).orElseThrow();
            at = next;
        }
        return scan.id();
    }

    private static List<ScanFailure> failures(String tag, int n) {
        List<ScanFailure> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new ScanFailure("http://bad.example/" + tag + "/" + i, "HTTP 500 on " + tag + " " + i,
                    fixture.clock.instant()));
        }
        return list;
    }
}
