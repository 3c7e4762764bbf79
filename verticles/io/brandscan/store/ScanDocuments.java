package io.brandscan.store;

import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanCounts;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanFailure;
import io.brandscan.scan.ScanState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of scans and scan events, in MongoDB and on the wire. Times are epoch
 * milliseconds; states and event types are their lower-case wire names. Field names are constants
 * here because the repositories query and update them one by one.
 */
public final class ScanDocuments {
    static final String ID = "_id";
    static final String CLIENT_ID = "client_id";
    static final String SCAN_ID = "scan_id";
    static final String BRAND_ID = "brand_id";
    /** The snapshot of the brand configuration the scan is scored against (PIPELINE.md). */
    static final String BRAND = "brand";
    static final String STATE = "state";
    static final String COUNTS = "counts";
    static final String FAILURES = "failures";
    static final String FAILURE_TOTAL = "failure_total";
    static final String GATHER_ATTEMPTS = "gather_attempts";
    static final String STATE_TIMES = "state_times";
    static final String CREATED_AT = "created_at";
    static final String UPDATED_AT = "updated_at";
    static final String ERROR = "error";
    static final String COMMITTED_BATCH = "committed_batch";
    static final String EVENT_SEQ = "event_seq";
    static final String SEQ = "seq";

    static final String[] COUNT_FIELDS = {"gathered", "acquired", "failed", "committed", "scored", "findings"};

    private ScanDocuments() {
    }

    public static JsonObject scan(Scan scan) {
        JsonObject times = new JsonObject();
        scan.stateTimes().forEach((state, at) -> times.put(state.wireName(), at.toEpochMilli()));
        JsonArray failures = new JsonArray();
        scan.failures().forEach(f -> failures.add(failure(f)));
        return new JsonObject()
                .put(ID, scan.id())
                .put(CLIENT_ID, scan.clientId())
                .put(BRAND_ID, scan.brandId())
                .put(STATE, scan.state().wireName())
                .put(COUNTS, counts(scan.counts()))
                .put(FAILURES, failures)
                .put(FAILURE_TOTAL, scan.failureTotal())
                .put(GATHER_ATTEMPTS, scan.gatherAttempts())
                .put(STATE_TIMES, times)
                .put(CREATED_AT, scan.createdAt().toEpochMilli())
                .put(UPDATED_AT, scan.updatedAt().toEpochMilli())
                .put(ERROR, scan.error())
                .put(COMMITTED_BATCH, scan.committedBatch());
    }

    /** The scan as the API shows it: the document with {@code id} instead of {@code _id} and its batch key. */
    public static JsonObject scanView(Scan scan) {
        JsonObject doc = scan(scan);
        doc.remove(ID);
        return new JsonObject().put("id", scan.id()).mergeIn(doc)
                .put("batch_key", scan.batchKey().map(Object::toString).orElse(null));
    }

    public static Scan scan(JsonObject doc) {
        Map<ScanState, Instant> times = new EnumMap<>(ScanState.class);
        JsonObject t = doc.getJsonObject(STATE_TIMES, new JsonObject());
        for (String name : t.fieldNames()) {
            times.put(ScanState.fromWire(name), Instant.ofEpochMilli(t.getLong(name)));
        }
        List<ScanFailure> failures = new ArrayList<>();
        for (Object f : doc.getJsonArray(FAILURES, new JsonArray())) {
            failures.add(failure((JsonObject) f));
        }
        return new Scan(doc.getString(ID), doc.getString(CLIENT_ID), doc.getString(BRAND_ID),
                ScanState.fromWire(doc.getString(STATE)), counts(doc.getJsonObject(COUNTS)), failures,
                doc.getLong(FAILURE_TOTAL, 0L), doc.getInteger(GATHER_ATTEMPTS, 0), times,
                Instant.ofEpochMilli(doc.getLong(CREATED_AT)), Instant.ofEpochMilli(doc.getLong(UPDATED_AT)),
                doc.getString(ERROR), doc.getString(COMMITTED_BATCH));
    }

    public static JsonObject counts(ScanCounts c) {
        return new JsonObject().put("gathered", c.gathered()).put("acquired", c.acquired()).put("failed", c.failed())
                .put("committed", c.committed()).put("scored", c.scored()).put("findings", c.findings());
    }

    public static ScanCounts counts(JsonObject c) {
        if (c == null) {
            return ScanCounts.ZERO;
        }
        return new ScanCounts(c.getLong("gathered", 0L), c.getLong("acquired", 0L), c.getLong("failed", 0L),
                c.getLong("committed", 0L), c.getLong("scored", 0L), c.getLong("findings", 0L));
    }

    static long[] countValues(ScanCounts c) {
        return new long[] {c.gathered(), c.acquired(), c.failed(), c.committed(), c.scored(), c.findings()};
    }

    public static JsonObject failure(ScanFailure f) {
        return new JsonObject().put("url", f.url()).put("error", f.error()).put("at", f.at().toEpochMilli());
    }

    public static ScanFailure failure(JsonObject f) {
        return new ScanFailure(f.getString("url"), f.getString("error"), Instant.ofEpochMilli(f.getLong("at")));
    }

    /** The event as stored and as sent to dashboards (where {@code seq} becomes the SSE id). */
    public static JsonObject event(ScanEvent e) {
        return new JsonObject()
                .put(ID, e.clientId() + "/" + e.scanId() + "/" + e.sequence())
                .put(CLIENT_ID, e.clientId())
                .put(SCAN_ID, e.scanId())
                .put(SEQ, e.sequence())
                .put("type", e.type().wireName())
                .put(STATE, e.state().wireName())
                .put(COUNTS, counts(e.counts()))
                .put("detail", e.detail())
                .put("at", e.at().toEpochMilli());
    }

    public static ScanEvent event(JsonObject doc) {
        return new ScanEvent(doc.getString(SCAN_ID), doc.getString(CLIENT_ID), ScanEvent.Type.fromWire(doc.getString("type")),
                ScanState.fromWire(doc.getString(STATE)), counts(doc.getJsonObject(COUNTS)), doc.getString("detail"),
                Instant.ofEpochMilli(doc.getLong("at")), doc.getLong(SEQ));
    }
}
