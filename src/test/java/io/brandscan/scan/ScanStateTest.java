package io.brandscan.scan;

import io.brandscan.time.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transition table, scan values and deterministic ids: plain JUnit, no Vert.x. */
class ScanStateTest {
    private final SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");

    @Test
    void theHappyPathIsAllowedStepByStep() {
        Scan scan = Scan.queued("s1", "acme", "brand-1", clock);
        for (ScanState next : new ScanState[] {ScanState.GATHERING, ScanState.ACQUIRING, ScanState.COMMITTING,
                ScanState.SCORING, ScanState.COMPLETE}) {
            clock.advance(Duration.ofSeconds(1));
            scan = scan.moveTo(next, clock);
            assertEquals(next, scan.state());
            assertEquals(clock.instant(), scan.stateTimes().get(next));
        }
        assertEquals(1, scan.gatherAttempts());
        assertEquals("acme/s1/1", scan.batchKey().orElseThrow().toString());
        assertEquals(6, scan.stateTimes().size(), "one timestamp per state visited");
    }

    @Test
    void forbiddenMovesAreRefused() {
        assertFalse(ScanState.QUEUED.canMoveTo(ScanState.SCORING));
        assertFalse(ScanState.ACQUIRING.canMoveTo(ScanState.COMPLETE), "complete needs committing and scoring first");
        assertFalse(ScanState.SCORING.canMoveTo(ScanState.GATHERING));
        assertFalse(ScanState.GATHERING.canMoveTo(ScanState.GATHERING), "no self moves");
        Scan queued = Scan.queued("s1", "acme", "brand-1", clock);
        assertThrows(IllegalStateException.class, () -> queued.moveTo(ScanState.COMMITTING, clock));
        assertThrows(IllegalArgumentException.class,
                () -> ScanState.requireMoves(EnumSet.of(ScanState.ACQUIRING, ScanState.SCORING), ScanState.COMMITTING));
        assertThrows(IllegalArgumentException.class, () -> ScanState.requireMoves(Set.of(), ScanState.FAILED));
    }

    @Test
    void terminalStatesAreFinal() {
        for (ScanState terminal : EnumSet.of(ScanState.COMPLETE, ScanState.FAILED, ScanState.CANCELLED)) {
            assertTrue(terminal.isTerminal());
            assertTrue(terminal.next().isEmpty());
            for (ScanState any : ScanState.values()) {
                assertFalse(terminal.canMoveTo(any), terminal + " -> " + any);
            }
        }
        assertEquals(EnumSet.of(ScanState.QUEUED, ScanState.GATHERING, ScanState.ACQUIRING, ScanState.COMMITTING,
                ScanState.SCORING), ScanState.active());
    }

    @Test
    void everyActiveStateCanFailOrBeCancelled() {
        assertEquals(ScanState.active(), ScanState.allowedFrom(ScanState.FAILED));
        assertEquals(ScanState.active(), ScanState.allowedFrom(ScanState.CANCELLED));
        assertEquals(EnumSet.of(ScanState.QUEUED, ScanState.ACQUIRING, ScanState.COMMITTING),
                ScanState.allowedFrom(ScanState.GATHERING), "re-gathering recovers acquiring and committing scans");
        assertEquals(EnumSet.of(ScanState.GATHERING, ScanState.SCORING), ScanState.allowedFrom(ScanState.COMPLETE));
    }

    @Test
    void regatheringStartsANewBatchKey() {
        Scan scan = Scan.queued("s1", "acme", "brand-1", clock)
                .moveTo(ScanState.GATHERING, clock).moveTo(ScanState.ACQUIRING, clock).moveTo(ScanState.GATHERING, clock);
        assertEquals(2, scan.gatherAttempts());
        assertEquals(new BatchKey("acme", "s1", 2), scan.batchKey().orElseThrow());
        assertEquals(scan.batchKey().orElseThrow(), BatchKey.parse("acme/s1/2"));
        assertTrue(Scan.queued("s2", "acme", "b", clock).batchKey().isEmpty(), "no batch before the first gather");
    }

    @Test
    void wireNamesRoundTripAndUnknownOnesAreRefused() {
        for (ScanState s : ScanState.values()) {
            assertEquals(s, ScanState.fromWire(s.wireName()));
        }
        assertThrows(IllegalArgumentException.class, () -> ScanState.fromWire("Complete"));
        assertThrows(IllegalArgumentException.class, () -> ScanState.fromWire(null));
        assertEquals(ReviewStatus.ALLOWLIST_SELLER, ReviewStatus.fromWire("allowlist_seller"));
    }

    @Test
    void badIdsAndKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Scan.queued("s/1", "acme", "b", clock), "a slash would break the batch key");
        assertThrows(IllegalArgumentException.class, () -> Scan.queued("s1", "", "b", clock));
        assertThrows(IllegalArgumentException.class, () -> Scan.queued("s1", "a".repeat(129), "b", clock));
        assertThrows(IllegalArgumentException.class, () -> BatchKey.parse("acme/s1"));
        assertThrows(IllegalArgumentException.class, () -> BatchKey.parse("acme/s1/x"));
        assertThrows(IllegalArgumentException.class, () -> BatchKey.parse("acme/s1/0"));
        assertThrows(IllegalArgumentException.class, () -> ScanCounts.gathered(-1));
    }

    @Test
    void listingIdsAreDeterministicPerClientScanAndNormalisedUrl() {
        String id = ScanIds.listing("acme", "s1", "https://Shop.Example.com:443/item?id=7#reviews");
        assertEquals(64, id.length());
        assertEquals(id, ScanIds.listing("acme", "s1", "HTTPS://shop.example.com/item?id=7"), "same listing, same id");
        assertNotEquals(id, ScanIds.listing("acme", "s2", "https://shop.example.com/item?id=7"), "another scan");
        assertNotEquals(id, ScanIds.listing("other", "s1", "https://shop.example.com/item?id=7"), "another client");
        assertNotEquals(id, ScanIds.listing("acme", "s1", "https://shop.example.com/item?id=8"), "another item");
        assertNotEquals(id, ScanIds.finding("acme", "s1", "https://shop.example.com/item?id=7"), "findings and listings differ");
        assertEquals(ScanIds.finding("acme", "s1", "http://a.example/x"), ScanIds.finding("acme", "s1", "http://A.example:80/x"));
    }

    @Test
    void urlNormalisationRefusesWhatIsNotAListingUrl() {
        assertEquals("http://example.com/", ListingUrl.normalise("http://EXAMPLE.com"));
        assertEquals("http://example.com:8080/a%20b?q=1", ListingUrl.normalise(" http://example.com:8080/a%20b?q=1#x "));
        assertThrows(IllegalArgumentException.class, () -> ListingUrl.normalise(null));
        assertThrows(IllegalArgumentException.class, () -> ListingUrl.normalise("ftp://example.com/x"));
        assertThrows(IllegalArgumentException.class, () -> ListingUrl.normalise("/relative/path"));
        assertThrows(IllegalArgumentException.class, () -> ListingUrl.normalise("http://exa mple.com/"));
        assertThrows(IllegalArgumentException.class, () -> ListingUrl.normalise("http://x.com/" + "a".repeat(5000)));
    }

    @Test
    void failuresAreCutAndNeedAReason() {
        ScanFailure f = new ScanFailure("http://x/1", "e".repeat(5000), clock.instant());
        assertEquals(ScanFailure.MAX_ERROR_LENGTH, f.error().length());
        assertThrows(IllegalArgumentException.class, () -> new ScanFailure("http://x/1", " ", clock.instant()));
    }
}
