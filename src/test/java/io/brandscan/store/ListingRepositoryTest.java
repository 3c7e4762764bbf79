package io.brandscan.store;

import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static io.brandscan.store.StoreFixture.await;
import static io.brandscan.store.StoreFixture.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The atomic batch commit without transactions, on a real mongo-java-server: deterministic-id
 * upserts in chunks, then one flip; retries, races, crashed and stale committers, isolation.
 */
class ListingRepositoryTest {
    private static final int N = 120;
    private static StoreFixture fixture;
    private static ScanRepository scans;
    private static ListingRepository listings;

    @BeforeAll
    static void start() throws Exception {
        // A small chunk so a commit of 120 listings takes several bulk writes.
        fixture = new StoreFixture("listing_repository_test", new StoreSettings(50, 1000, 500, 1000));
        scans = fixture.store.scans();
        listings = fixture.store.listings();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aRetriedCommitLeavesExactlyNDocumentsAndFlipsOnce() throws Exception {
        Scan scan = committingScan("acme");
        BatchKey batch = scan.batchKey().orElseThrow();
        CommitResult first = await(listings.commit("acme", batch, batch(N)));
        assertEquals(CommitResult.Outcome.COMMITTED, first.outcome());
        assertEquals(N, first.written());
        Scan flipped = first.scan().orElseThrow();
        assertEquals(ScanState.SCORING, flipped.state());
        assertEquals(batch.toString(), flipped.committedBatch());
        assertEquals(N, flipped.counts().committed());

        fixture.clock.advance(Duration.ofSeconds(30));
        CommitResult retry = await(listings.commit("acme", batch, batch(N)));
        assertEquals(CommitResult.Outcome.ALREADY_COMMITTED, retry.outcome());
        assertTrue(retry.isDurable(), "the retrying worker may delete its message");

        assertEquals(N, rawCount(scan.id()), "no duplicates in the collection");
        Scan after = await(scans.get("acme", scan.id())).orElseThrow();
        assertEquals(flipped.stateTimes().get(ScanState.SCORING), after.stateTimes().get(ScanState.SCORING),
                "the flip happened once");
        assertEquals(N, await(listings.countCommitted("acme", scan.id())));
        assertEquals(N, after.counts().committed());
    }

    @Test
    void committersRacingOnOneBatchWriteEachListingOnceAndOnlyOneFlips() throws Exception {
        Scan scan = committingScan("acme");
        BatchKey batch = scan.batchKey().orElseThrow();
        List<Future<CommitResult>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racers.add(listings.commit("acme", batch, batch(N)));
        }
        await(Future.all(racers));
        long committed = racers.stream().filter(f -> f.result().outcome() == CommitResult.Outcome.COMMITTED).count();
        assertEquals(1, committed, "exactly one flip");
        assertTrue(racers.stream().allMatch(f -> f.result().isDurable()));
        assertEquals(N, rawCount(scan.id()));
        assertEquals(N, await(listings.countCommitted("acme", scan.id())));
    }

    @Test
    void aReaderSeesNothingBeforeTheFlipAndEverythingAfter() throws Exception {
        Scan scan = committingScan("acme");
        BatchKey batch = scan.batchKey().orElseThrow();
        // A committer that crashed between the two steps: every document written, no flip.
        ListingRepository.Written written = await(listings.writeListings(batch, batch(N)));
        assertEquals(N, written.written());
        assertEquals(N, rawCount(scan.id()), "the documents are there");
        assertTrue(await(listings.committedListings("acme", scan.id(), null, 500)).isEmpty(), "but not visible");
        assertEquals(0L, await(listings.countCommitted("acme", scan.id())));
        String someId = io.brandscan.scan.ScanIds.listing("acme", scan.id(), listing(3).getString("url"));
        assertTrue(await(listings.get("acme", scan.id(), someId)).isEmpty());

        // The next holder of the commit lease commits the same batch again.
        CommitResult result = await(listings.commit("acme", batch, batch(N)));
        assertEquals(CommitResult.Outcome.COMMITTED, result.outcome());
        assertEquals(N, rawCount(scan.id()));
        assertEquals("Item 3", await(listings.get("acme", scan.id(), someId)).orElseThrow().getString("title"));

        // Keyset pages in id order: every listing once, no page over its limit, ids rising.
        Set<String> urls = new HashSet<>();
        String after = null;
        List<JsonObject> slice;
        int pages = 0;
        while (!(slice = await(listings.committedListings("acme", scan.id(), after, 50))).isEmpty()) {
            assertTrue(slice.size() <= 50, "page of " + slice.size());
            for (JsonObject l : slice) {
                assertTrue(urls.add(l.getString("url")), "listed twice: " + l.getString("url"));
                assertTrue(after == null || l.getString("_id").compareTo(after) > 0, "ids must rise");
                assertEquals(batch.toString(), l.getString("batch_key"));
                after = l.getString("_id");
            }
            pages++;
        }
        assertEquals(N, urls.size());
        assertEquals((N + 49) / 50, pages);
    }

    @Test
    void aCommitOverAPartlyWrittenBatchInsertsTheRestAndReplacesTheWrittenOnes() throws Exception {
        Scan scan = committingScan("acme");
        BatchKey batch = scan.batchKey().orElseThrow();
        // A committer that crashed part way through: 60 documents written, with a title since changed.
        List<JsonObject> firstPart = new ArrayList<>();
        for (JsonObject l : batch(60)) {
            firstPart.add(l.copy().put("title", "before the crash"));
        }
        await(listings.writeListings(batch, firstPart));
        assertEquals(60, rawCount(scan.id()));

        CommitResult result = await(listings.commit("acme", batch, batch(N)));
        assertEquals(CommitResult.Outcome.COMMITTED, result.outcome());
        assertEquals(N, result.written());
        assertEquals(N, rawCount(scan.id()), "the 60 replaced, the rest inserted, none twice");
        List<JsonObject> visible = await(listings.committedListings("acme", scan.id(), null, 500));
        assertEquals(N, visible.size());
        for (JsonObject l : visible) {
            assertTrue(l.getString("title").startsWith("Item "), "the commit's own listing, not the crashed one's: " + l);
        }
    }

    @Test
    void aCommitReadAPageAtATimeWritesEveryListingOnceAndCountsARepeatedUrlOnce() throws Exception {
        Scan scan = committingScan("acme");
        BatchKey batch = scan.batchKey().orElseThrow();
        List<JsonObject> all = batch(N);
        all.add(listing(5).put("title", "Item 5, listed again")); // the same url on a later page
        List<Integer> offsets = new ArrayList<>();
        ListingPages pages = offset -> {
            offsets.add(offset);
            return ListingPages.of(all, 7).read(offset);
        };
        CommitResult result = await(listings.commit("acme", batch, pages));
        assertEquals(CommitResult.Outcome.COMMITTED, result.outcome());
        assertEquals(N, result.written(), "the repeated url is one listing");
        assertEquals(N, result.scan().orElseThrow().counts().committed());
        assertEquals(N, rawCount(scan.id()));
        assertEquals((N + 1 + 6) / 7 + 1, offsets.size(), "every page read once, then one empty read");
        assertEquals(0, offsets.get(0));
        assertEquals(7, offsets.get(1));
        String id5 = io.brandscan.scan.ScanIds.listing("acme", scan.id(), listing(5).getString("url"));
        assertEquals("Item 5, listed again", await(listings.get("acme", scan.id(), id5)).orElseThrow().getString("title"),
                "the later wins");
        assertThrows(IllegalArgumentException.class, () -> ListingPages.of(all, 0));
    }

    @Test
    void aCommitOfAScanNotCommittingWritesNothing() throws Exception {
        Scan scan = await(scans.create("acme", "brand-1"));
        await(scans.beginGather("acme", scan.id(), 3));
        await(scans.transition("acme", scan.id(), Set.of(ScanState.GATHERING), ScanState.ACQUIRING));
        BatchKey batch = new BatchKey("acme", scan.id(), 1);
        CommitResult early = await(listings.commit("acme", batch, batch(10)));
        assertEquals(CommitResult.Outcome.STALE, early.outcome());
        assertFalse(early.isDurable());
        assertEquals(0, rawCount(scan.id()));

        await(scans.cancel("acme", scan.id()));
        assertEquals(CommitResult.Outcome.STALE, await(listings.commit("acme", batch, batch(10))).outcome());
        assertEquals(0, rawCount(scan.id()));
        assertEquals(CommitResult.Outcome.NOT_FOUND,
                await(listings.commit("acme", new BatchKey("acme", "no-such-scan", 1), batch(10))).outcome());
    }

    @Test
    void aCommitterOfAnAbandonedAttemptCannotCommitOrOverwriteTheNewOne() throws Exception {
        Scan scan = committingScan("acme");
        BatchKey attempt1 = scan.batchKey().orElseThrow();
        // Attempt 1's committer stalls after writing; the registry restarts; the watchdog re-gathers.
        await(listings.writeListings(attempt1, batch(N)));
        Scan regathered = await(scans.beginGather("acme", scan.id(), 3)).orElseThrow();
        BatchKey attempt2 = regathered.batchKey().orElseThrow();
        assertEquals(2, attempt2.attempt());
        await(scans.transition("acme", scan.id(), Set.of(ScanState.GATHERING), ScanState.ACQUIRING));
        await(scans.transition("acme", scan.id(), Set.of(ScanState.ACQUIRING), ScanState.COMMITTING));
        // Attempt 2 found only 100 of the listings (the feed changed).
        assertEquals(CommitResult.Outcome.COMMITTED, await(listings.commit("acme", attempt2, batch(100))).outcome());

        // The old committer wakes up.
        CommitResult late = await(listings.commit("acme", attempt1, batch(N)));
        assertEquals(CommitResult.Outcome.STALE, late.outcome(), "refused before writing");
        ExecutionException raced = assertThrows(ExecutionException.class, () -> await(listings.writeListings(attempt1, batch(N))));
        assertTrue(String.valueOf(raced.getCause()).contains("E11000"),
                "even past the check, a stale write collides instead of overwriting: " + raced.getCause());

        assertEquals(100L, await(listings.countCommitted("acme", scan.id())), "only attempt 2's listings are visible");
        List<JsonObject> visible = await(listings.committedListings("acme", scan.id(), null, 500));
        assertEquals(100, visible.size());
        assertTrue(visible.stream().allMatch(l -> attempt2.toString().equals(l.getString("batch_key"))));
        assertEquals(N, rawCount(scan.id()), "the 20 left over from attempt 1 stay invisible, nothing duplicated");
    }

    @Test
    void badAndDuplicateUrlsAreSkippedOrStoredOnce() throws Exception {
        Scan scan = committingScan("acme");
        List<JsonObject> input = new ArrayList<>(batch(5));
        input.add(new JsonObject().put("title", "no url"));
        input.add(new JsonObject().put("url", "not a url at all"));
        input.add(new JsonObject().put("url", 42));
        input.add(null);
        input.add(listing(2).put("url", "HTTPS://SHOP.example.com:443/item/2#top").put("title", "Item 2 again"));
        CommitResult result = await(listings.commit("acme", scan.batchKey().orElseThrow(), input));
        assertEquals(CommitResult.Outcome.COMMITTED, result.outcome());
        assertEquals(5, result.written());
        assertEquals(4, result.skipped());
        assertEquals(5, result.scan().orElseThrow().counts().committed());
        String id2 = io.brandscan.scan.ScanIds.listing("acme", scan.id(), "https://shop.example.com/item/2");
        assertEquals("Item 2 again", await(listings.get("acme", scan.id(), id2)).orElseThrow().getString("title"),
                "the later of two equal urls wins");
    }

    @Test
    void anotherClientCannotReadOrCommitListings() throws Exception {
        Scan scan = committingScan("client-a");
        BatchKey batch = scan.batchKey().orElseThrow();
        assertEquals(CommitResult.Outcome.COMMITTED, await(listings.commit("client-a", batch, batch(10))).outcome());
        String id = io.brandscan.scan.ScanIds.listing("client-a", scan.id(), listing(1).getString("url"));

        assertTrue(await(listings.committedListings("client-b", scan.id(), null, 100)).isEmpty());
        assertEquals(0L, await(listings.countCommitted("client-b", scan.id())));
        assertTrue(await(listings.get("client-b", scan.id(), id)).isEmpty());
        assertInstanceOf(IllegalArgumentException.class,
                assertThrows(ExecutionException.class, () -> await(listings.commit("client-b", batch, batch(3)))).getCause(),
                "a batch key naming another client is refused");
        assertEquals(CommitResult.Outcome.NOT_FOUND,
                await(listings.commit("client-b", new BatchKey("client-b", scan.id(), 1), batch(3))).outcome());
        assertTrue(await(listings.committedListings("", scan.id(), null, 100)).isEmpty());
        assertEquals(10, rawCount(scan.id()));
        assertEquals(10L, await(listings.countCommitted("client-a", scan.id())));
    }

    @Test
    void embeddingsAreStoredAsFloat32BinaryAndReadBackBitForBit() throws Exception {
        Scan scan = committingScan("acme");
        BatchKey batch = scan.batchKey().orElseThrow();
        java.util.Random rng = new java.util.Random(11);
        float[] vector = new float[1280];
        JsonArray sent = new JsonArray();
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) rng.nextGaussian();
            sent.add(vector[i]);
        }
        JsonObject good = listing(1).put("embedding", sent);
        JsonObject malformed = listing(2).put("embedding", new JsonArray().add(1.0).add("two"));
        await(listings.commit("acme", batch, List.of(good, malformed)));

        JsonObject raw = await(fixture.mongo.findOne("listings", new JsonObject().put("scan_id", scan.id())
                .put("url", good.getString("url")), null));
        assertTrue(raw.getValue("embedding") instanceof JsonObject, "binary, not an array: " + raw.getValue("embedding"));
        assertEquals(1280 * 4, raw.getJsonObject("embedding").getBinary("$binary").length);
        assertTrue(java.util.Arrays.equals(vector, StoredEmbedding.read(raw.getValue("embedding"))));

        JsonObject kept = await(fixture.mongo.findOne("listings", new JsonObject().put("scan_id", scan.id())
                .put("url", malformed.getString("url")), null));
        assertEquals(new JsonArray().add(1.0).add("two"), kept.getJsonArray("embedding"), "a malformed one is kept as sent");
        assertEquals(null, StoredEmbedding.read(kept.getValue("embedding")));
        assertEquals(sent.size(), good.getJsonArray("embedding").size(), "the caller's result is not changed");
    }

    private static Scan committingScan(String client) throws Exception {
        Scan scan = await(scans.create(client, "brand-1"));
        await(scans.beginGather(client, scan.id(), 3)).orElseThrow();
        await(scans.transition(client, scan.id(), Set.of(ScanState.GATHERING), ScanState.ACQUIRING)).orElseThrow();
        return await(scans.transition(client, scan.id(), Set.of(ScanState.ACQUIRING), ScanState.COMMITTING)).orElseThrow();
    }

    private static List<JsonObject> batch(int n) {
        List<JsonObject> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(listing(i));
        }
        return list;
    }

    private static long rawCount(String scanId) throws Exception {
        return await(fixture.mongo.count("listings", new JsonObject().put("scan_id", scanId)));
    }
}
