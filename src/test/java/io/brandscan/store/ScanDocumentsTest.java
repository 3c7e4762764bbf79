package io.brandscan.store;

import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanCounts;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanFailure;
import io.brandscan.scan.ScanState;
import io.brandscan.time.SettableClock;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The JSON shape of scans and events round-trips, and bad settings are refused. */
class ScanDocumentsTest {
    private final SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");

    @Test
    void aScanRoundTripsThroughItsDocument() {
        Scan scan = Scan.queued("s1", "acme", "brand-1", clock);
        clock.advance(Duration.ofSeconds(3));
        scan = scan.moveTo(ScanState.GATHERING, clock);
        Scan full = new Scan(scan.id(), scan.clientId(), scan.brandId(), scan.state(), new ScanCounts(5, 4, 1, 0, 0, 0),
                List.of(new ScanFailure("http://x/1", "HTTP 500", clock.instant())), 7, scan.gatherAttempts(),
                scan.stateTimes(), scan.createdAt(), scan.updatedAt(), null, null);
        JsonObject doc = ScanDocuments.scan(full);
        assertEquals("gathering", doc.getString("state"));
        assertEquals(4L, doc.getJsonObject("counts").getLong("acquired"));
        assertEquals(full, ScanDocuments.scan(new JsonObject(doc.encode())), "survives encoding");

        JsonObject view = ScanDocuments.scanView(full);
        assertEquals("s1", view.getString("id"));
        assertNull(view.getValue("_id"));
        assertEquals("acme/s1/1", view.getString("batch_key"));
    }

    @Test
    void anEventRoundTripsThroughItsDocument() {
        Scan scan = Scan.queued("s1", "acme", "brand-1", clock);
        ScanEvent event = ScanEvent.draft(scan, ScanEvent.Type.FAILURE, "poison message", clock.instant()).withSequence(42);
        JsonObject doc = ScanDocuments.event(event);
        assertEquals(42L, doc.getLong("seq"));
        assertEquals("failure", doc.getString("type"));
        assertEquals(event, ScanDocuments.event(new JsonObject(doc.encode())));
    }

    @Test
    void settingsHaveDefaultsAndBounds() {
        assertEquals(StoreSettings.DEFAULTS, StoreSettings.from(null));
        assertEquals(500, StoreSettings.from(new JsonObject()).bulkChunk());
        assertEquals(20, StoreSettings.from(new JsonObject().put("bulk_chunk", 20)).bulkChunk());
        assertThrows(IllegalArgumentException.class, () -> StoreSettings.from(new JsonObject().put("bulk_chunk", 0)));
        assertThrows(IllegalArgumentException.class, () -> StoreSettings.from(new JsonObject().put("failures_kept", -1)));
        assertThrows(IllegalArgumentException.class, () -> StoreSettings.from(new JsonObject().put("page_max", 1_000_000)));
    }
}
