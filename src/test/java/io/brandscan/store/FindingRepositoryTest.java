package io.brandscan.store;

import io.brandscan.scan.ReviewStatus;
import io.brandscan.scan.ScanIds;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static io.brandscan.store.StoreFixture.await;
import static io.brandscan.store.StoreFixture.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Findings in a real mongo-java-server: idempotent upserts, score filter, sort, paging, isolation. */
class FindingRepositoryTest {
    private static StoreFixture fixture;
    private static FindingRepository findings;

    @BeforeAll
    static void start() throws Exception {
        fixture = new StoreFixture("finding_repository_test", new StoreSettings(7, 1000, 500, 1000));
        findings = fixture.store.findings();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void findingsAreFilteredByScoreSortedDescendingAndPaged() throws Exception {
        List<FindingDraft> drafts = drafts(40);
        assertEquals(40, await(findings.upsert("acme", "scan-f1", drafts)));
        // What the query must return: score >= 0.5, highest first, ties by id.
        List<String> expected = drafts.stream().filter(d -> d.score() >= 0.5)
                .map(d -> new Object[] {d.score(), ScanIds.finding("acme", "scan-f1", d.url())})
                .sorted(Comparator.<Object[]>comparingDouble(o -> -(double) o[0]).thenComparing(o -> (String) o[1]))
                .map(o -> (String) o[1]).toList();
        assertTrue(expected.size() > 10 && expected.size() < 40, "the filter must cut something");

        List<String> paged = new ArrayList<>();
        Page page = Page.first(6);
        List<Finding> slice;
        while (!(slice = await(findings.find("acme", "scan-f1", FindingQuery.atLeast(0.5, page)))).isEmpty()) {
            assertTrue(slice.size() <= 6);
            slice.forEach(f -> paged.add(f.id()));
            page = page.next();
        }
        assertEquals(expected, paged, "every matching finding once, in order, across pages");
        assertEquals((long) expected.size(), await(findings.count("acme", "scan-f1", FindingQuery.atLeast(0.5, Page.first(1)))));
        assertEquals(40L, await(findings.count("acme", "scan-f1", FindingQuery.all(Page.first(1)))));

        Finding top = await(findings.find("acme", "scan-f1", FindingQuery.all(Page.first(1)))).get(0);
        assertEquals(expected.get(0), top.id());
        assertEquals(ReviewStatus.OPEN, top.reviewStatus());
        assertEquals(top.score(), top.breakdown().getDouble("image"), "the breakdown is stored with the score");
        assertTrue(top.title().startsWith("Item "));
        assertTrue(top.imageUrl().startsWith("https://img.example.com/"));
        assertEquals(ScanIds.listing("acme", "scan-f1", top.url()), top.listingId());
        assertEquals(top.score(), top.toJson().getDouble("score"));
    }

    @Test
    void reRunningTheAiPhaseOverwritesScoresButKeepsReviews() throws Exception {
        List<FindingDraft> drafts = drafts(12);
        await(findings.upsert("acme", "scan-f2", drafts));
        String reviewed = ScanIds.finding("acme", "scan-f2", drafts.get(3).url());
        // A reviewer's decision, written as the review API will write it.
        await(fixture.mongo.updateCollection("findings", new JsonObject().put("_id", reviewed).put("client_id", "acme"),
                new JsonObject().put("$set", new JsonObject().put("review_status", "confirmed"))));
        Finding before = await(findings.get("acme", reviewed)).orElseThrow();

        fixture.clock.advance(Duration.ofMinutes(1));
        List<FindingDraft> rescored = new ArrayList<>();
        for (FindingDraft d : drafts) {
            rescored.add(new FindingDraft(d.url(), 1.0 - d.score(), new JsonObject().put("image", 1.0 - d.score()), d.listing()));
        }
        assertEquals(12, await(findings.upsert("acme", "scan-f2", rescored)));

        assertEquals(12L, await(fixture.mongo.count("findings", new JsonObject().put("scan_id", "scan-f2"))), "no duplicates");
        Finding after = await(findings.get("acme", reviewed)).orElseThrow();
        assertEquals(ReviewStatus.CONFIRMED, after.reviewStatus(), "a re-run never reopens a review");
        assertEquals(1.0 - drafts.get(3).score(), after.score(), 1e-12);
        assertEquals(before.createdAt(), after.createdAt());
        assertNotEquals(before.updatedAt(), after.updatedAt());
        assertEquals(1L, await(findings.count("acme", "scan-f2", new FindingQuery(0, ReviewStatus.CONFIRMED, Page.first(10)))));
        assertEquals(11, await(findings.find("acme", "scan-f2", new FindingQuery(0, ReviewStatus.OPEN, Page.first(100)))).size());
    }

    @Test
    void duplicateUrlsAreOneFindingAndBadDraftsAreRefused() throws Exception {
        List<FindingDraft> drafts = new ArrayList<>(drafts(3));
        drafts.add(new FindingDraft("HTTPS://shop.example.com:443/item/1#x", 0.99, null, null));
        assertEquals(3, await(findings.upsert("acme", "scan-f3", drafts)));
        assertEquals(0.99, await(findings.find("acme", "scan-f3", FindingQuery.all(Page.first(1)))).get(0).score());

        assertThrows(IllegalArgumentException.class, () -> new FindingDraft("https://x.example/1", Double.NaN, null, null));
        assertThrows(IllegalArgumentException.class, () -> new FindingDraft("https://x.example/1", 1.5, null, null));
        assertThrows(IllegalArgumentException.class, () -> new FindingQuery(Double.NaN, null, Page.first(1)));
        assertThrows(IllegalArgumentException.class, () -> new Page(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> Page.first(0));
        List<FindingDraft> withBadUrl = List.of(drafts.get(0), new FindingDraft("javascript:alert(1)", 0.5, null, null));
        assertInstanceOf(IllegalArgumentException.class,
                assertThrows(ExecutionException.class, () -> await(findings.upsert("acme", "scan-f4", withBadUrl))).getCause());
        assertEquals(0L, await(findings.count("acme", "scan-f4", FindingQuery.all(Page.first(1)))), "nothing written");
    }

    @Test
    void aHugePageIsCappedAtPageMax() throws Exception {
        FindingRepository small = new FindingRepository(fixture.mongo, new StoreSettings(500, 1000, 5, 1000), fixture.clock);
        await(small.upsert("acme", "scan-f5", drafts(12)));
        assertEquals(5, await(small.find("acme", "scan-f5", FindingQuery.all(Page.first(1_000_000)))).size());
    }

    @Test
    void anotherClientCannotReadFindings() throws Exception {
        await(findings.upsert("client-a", "scan-f6", drafts(5)));
        String id = ScanIds.finding("client-a", "scan-f6", drafts(1).get(0).url());
        assertTrue(await(findings.get("client-a", id)).isPresent());
        assertTrue(await(findings.get("client-b", id)).isEmpty());
        assertTrue(await(findings.get(null, id)).isEmpty());
        assertTrue(await(findings.find("client-b", "scan-f6", FindingQuery.all(Page.first(100)))).isEmpty());
        assertEquals(0L, await(findings.count("client-b", "scan-f6", FindingQuery.all(Page.first(1)))));
        // Client B writing "the same" findings gets its own documents, never A's.
        await(findings.upsert("client-b", "scan-f6", drafts(5)));
        assertEquals(10L, await(fixture.mongo.count("findings", new JsonObject().put("scan_id", "scan-f6"))));
        assertTrue(await(findings.find("client-a", "scan-f6", FindingQuery.all(Page.first(100)))).stream()
                .allMatch(f -> f.clientId().equals("client-a")));
    }

    /** Scores spread over [0, 1) with ties, so both the filter and the tie-break matter. */
    private static List<FindingDraft> drafts(int n) {
        List<FindingDraft> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double score = ((i * 7) % 20) / 20.0;
            JsonObject l = listing(i);
            list.add(new FindingDraft(l.getString("url"), score,
                    new JsonObject().put("image", score).put("text", 0.1).put("reasons", new io.vertx.core.json.JsonArray().add("phash")), l));
        }
        return list;
    }
}
