package io.brandscan.store;

import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanCounts;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanFailure;
import io.brandscan.scan.ScanIds;
import io.brandscan.scan.ScanState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static io.brandscan.store.ScanDocuments.BRAND;
import static io.brandscan.store.ScanDocuments.CLIENT_ID;
import static io.brandscan.store.ScanDocuments.COMMITTED_BATCH;
import static io.brandscan.store.ScanDocuments.COUNTS;
import static io.brandscan.store.ScanDocuments.COUNT_FIELDS;
import static io.brandscan.store.ScanDocuments.CREATED_AT;
import static io.brandscan.store.ScanDocuments.ERROR;
import static io.brandscan.store.ScanDocuments.EVENT_SEQ;
import static io.brandscan.store.ScanDocuments.FAILURES;
import static io.brandscan.store.ScanDocuments.FAILURE_TOTAL;
import static io.brandscan.store.ScanDocuments.GATHER_ATTEMPTS;
import static io.brandscan.store.ScanDocuments.ID;
import static io.brandscan.store.ScanDocuments.SCAN_ID;
import static io.brandscan.store.ScanDocuments.SEQ;
import static io.brandscan.store.ScanDocuments.STATE;
import static io.brandscan.store.ScanDocuments.STATE_TIMES;
import static io.brandscan.store.ScanDocuments.UPDATED_AT;

/**
 * The {@code scans} and {@code scan_events} collections. Every document carries its client id
 * and every read or write filters by it, so one client's id never reaches another's scan: a
 * scan of another client is reported exactly as a missing one (an empty Optional, false).
 * The one exception is {@link #stuck}, the watchdog's platform-wide sweep, which returns whole
 * scans (each naming its client) and takes no caller-supplied query.
 *
 * <p>Every change is a single-document atomic update: a transition is one conditional
 * {@code findOneAndUpdate} on the state being in the allowed from-set, so of two workers racing on
 * the same transition exactly one wins; counts move by {@code $inc}; the failure list is bounded
 * by {@code $push} with {@code $slice} beside a total counter.
 */
public final class ScanRepository {
    private static final Logger LOG = LoggerFactory.getLogger(ScanRepository.class);
    static final String SCANS = "scans";
    static final String EVENTS = "scan_events";

    /** Fields only this repository may write: a caller's extra transition fields may not touch them. */
    private static final Set<String> RESERVED = Set.of(ID, CLIENT_ID, ScanDocuments.BRAND_ID, BRAND, STATE, COUNTS, FAILURES,
            FAILURE_TOTAL, GATHER_ATTEMPTS, STATE_TIMES, CREATED_AT, UPDATED_AT, COMMITTED_BATCH, EVENT_SEQ);

    private final MongoClient mongo;
    private final StoreSettings settings;
    private final Clock clock;

    public ScanRepository(MongoClient mongo, StoreSettings settings, Clock clock) {
        this.mongo = Objects.requireNonNull(mongo, "mongo");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Indexes for listing a client's scans newest first, the watchdog sweep, and event reads (unique per sequence). */
    public Future<Void> createIndexes() {
        return Future.all(
                mongo.createIndex(SCANS, new JsonObject().put(CLIENT_ID, 1).put(CREATED_AT, -1)),
                mongo.createIndex(SCANS, new JsonObject().put(STATE, 1).put(UPDATED_AT, 1)),
                mongo.createIndexWithOptions(EVENTS, new JsonObject().put(CLIENT_ID, 1).put(SCAN_ID, 1).put(SEQ, 1),
                        new IndexOptions().unique(true))).mapEmpty();
    }

    /** A new queued scan with a random id. */
    public Future<Scan> create(String clientId, String brandId) {
        return create(clientId, ScanIds.newScanId(), brandId);
    }

    /** A new queued scan with the caller's id; an id already taken fails the future (E11000). */
    public Future<Scan> create(String clientId, String scanId, String brandId) {
        return create(clientId, scanId, brandId, null);
    }

    /**
     * A new queued scan with a random id carrying {@code brandSnapshot} (the brand configuration
     * as it is now) in its {@code brand} field, so every phase works against the brand as it was
     * when the scan started. Read it back with {@link #brand}.
     */
    public Future<Scan> create(String clientId, String brandId, JsonObject brandSnapshot) {
        if (brandSnapshot == null) {
            return Future.failedFuture(new IllegalArgumentException("a brand snapshot is required"));
        }
        return create(clientId, ScanIds.newScanId(), brandId, brandSnapshot);
    }

    /** As {@link #create(String, String, JsonObject)} with the caller's scan id; null snapshot stores none. */
    public Future<Scan> create(String clientId, String scanId, String brandId, JsonObject brandSnapshot) {
        Scan scan;
        try {
            scan = Scan.queued(scanId, clientId, brandId, clock);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        JsonObject doc = ScanDocuments.scan(scan).put(EVENT_SEQ, 0L);
        if (brandSnapshot != null) {
            doc.put(BRAND, brandSnapshot.copy());
        }
        return mongo.insert(SCANS, doc).map(id -> {
            LOG.info("scan created client_id={} scan_id={} brand_id={}", clientId, scanId, brandId);
            return scan;
        });
    }

    /** The client's scan, or empty if it does not exist or belongs to another client. */
    public Future<Optional<Scan>> get(String clientId, String scanId) {
        JsonObject query;
        try {
            query = byId(clientId, scanId);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(Optional.empty());
        }
        return mongo.findOne(SCANS, query, null).map(ScanRepository::toScan);
    }

    /**
     * The brand snapshot stored with the scan at creation; empty when the scan is missing, another
     * client's, or was created without one.
     */
    public Future<Optional<JsonObject>> brand(String clientId, String scanId) {
        JsonObject query;
        try {
            query = byId(clientId, scanId);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(Optional.empty());
        }
        return mongo.findOne(SCANS, query, new JsonObject().put(BRAND, 1))
                .map(doc -> doc == null ? Optional.<JsonObject>empty() : Optional.ofNullable(doc.getJsonObject(BRAND)));
    }

    /**
     * Ends gather attempt {@code attempt}: moves the scan from gathering to acquiring and sets
     * {@code counts.gathered} to {@code gathered} in the same single-document update (a set, not
     * an increment, so a redelivered gather message repeating it cannot double the count). Empty
     * when the scan is no longer gathering on that attempt (a newer attempt, a cancel, a failure).
     */
    public Future<Optional<Scan>> finishGather(String clientId, String scanId, int attempt, long gathered) {
        if (gathered < 0) {
            return Future.failedFuture(new IllegalArgumentException("gathered cannot be negative"));
        }
        JsonObject set = new JsonObject().put(COUNTS + ".gathered", gathered);
        return move(clientId, scanId, Set.of(ScanState.GATHERING), ScanState.ACQUIRING, set, null,
                new JsonObject().put(GATHER_ATTEMPTS, attempt));
    }

    /** The client's scans, newest first; empty for a malformed client id. */
    public Future<List<Scan>> list(String clientId, Page page) {
        try {
            ScanIds.requireValid("client_id", clientId);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(List.of());
        }
        Page p = page.cappedAt(settings.pageMax());
        FindOptions options = new FindOptions().setSort(new JsonObject().put(CREATED_AT, -1).put(ID, -1))
                .setSkip(p.offset()).setLimit(p.limit());
        return mongo.findWithOptions(SCANS, new JsonObject().put(CLIENT_ID, clientId), options)
                .map(docs -> docs.stream().map(ScanDocuments::scan).toList());
    }

    /** {@link #transition(String, String, Set, ScanState, JsonObject)} with no extra fields. */
    public Future<Optional<Scan>> transition(String clientId, String scanId, Set<ScanState> from, ScanState to) {
        return transition(clientId, scanId, from, to, new JsonObject());
    }

    /**
     * Moves the scan to {@code to} if, and only if, its stored state is in {@code from}, setting
     * {@code fields} too, in one conditional update. Empty when the scan is missing, another
     * client's, or no longer in a from-state (another worker won). A move the transition table
     * forbids, or a field this repository owns, fails the future before anything is written.
     */
    public Future<Optional<Scan>> transition(String clientId, String scanId, Set<ScanState> from, ScanState to,
                                             JsonObject fields) {
        JsonObject set;
        try {
            ScanState.requireMoves(from, to);
            set = extraFields(fields);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return move(clientId, scanId, from, to, set, null, null);
    }

    /**
     * Starts a gather attempt: moves the scan to gathering from queued (the first attempt) or from
     * acquiring/committing (the watchdog re-gathering after the registry lost its batch), adds one
     * to the attempts, which gives the scan a new batch key, and zeroes the counts and failures of
     * the abandoned attempt. Empty when the scan is not in such a state or has already used
     * {@code maxAttempts}; the caller then fails it with a reason.
     */
    public Future<Optional<Scan>> beginGather(String clientId, String scanId, int maxAttempts) {
        if (maxAttempts < 1) {
            return Future.failedFuture(new IllegalArgumentException("max gather attempts must be at least 1"));
        }
        JsonObject set = new JsonObject().put(COUNTS, ScanDocuments.counts(ScanCounts.ZERO))
                .put(FAILURES, new JsonArray()).put(FAILURE_TOTAL, 0L);
        JsonObject underLimit = new JsonObject().put(GATHER_ATTEMPTS, new JsonObject().put("$lt", maxAttempts));
        return move(clientId, scanId, ScanState.allowedFrom(ScanState.GATHERING), ScanState.GATHERING, set,
                new JsonObject().put(GATHER_ATTEMPTS, 1), underLimit);
    }

    /** Fails an active scan with a reason; empty if it is missing, another client's or already terminal. */
    public Future<Optional<Scan>> fail(String clientId, String scanId, String reason) {
        if (reason == null || reason.isBlank()) {
            return Future.failedFuture(new IllegalArgumentException("a failed scan needs a reason"));
        }
        String cut = reason.length() > ScanFailure.MAX_ERROR_LENGTH ? reason.substring(0, ScanFailure.MAX_ERROR_LENGTH) : reason;
        return move(clientId, scanId, ScanState.active(), ScanState.FAILED, new JsonObject().put(ERROR, cut), null, null);
    }

    /** Cancels an active scan; empty if it is missing, another client's or already terminal. */
    public Future<Optional<Scan>> cancel(String clientId, String scanId) {
        return move(clientId, scanId, ScanState.active(), ScanState.CANCELLED, new JsonObject(), null, null);
    }

    /**
     * Adds {@code delta} to the counts of an active scan atomically ({@code $inc}); false if the
     * scan is missing, another client's or terminal (a late duplicate must not move a finished scan).
     */
    public Future<Boolean> incrementCounts(String clientId, String scanId, ScanCounts delta) {
        JsonObject query;
        try {
            query = activeById(clientId, scanId);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(false);
        }
        return increment(clientId, scanId, query, delta);
    }

    /**
     * Adds {@code delta} only while the scan is on gather attempt {@code attempt} in one of
     * {@code states}; false (nothing added) otherwise. For an acquire batch's per-url progress:
     * the batch's commit moves the scan to committing and then sets its counts to the registry's
     * exact numbers, so an increment still on its way must not land on top of them (it would
     * count that url twice), nor on a newer attempt's counts.
     */
    public Future<Boolean> incrementCountsWhile(String clientId, String scanId, int attempt, Set<ScanState> states,
                                                ScanCounts delta) {
        JsonObject query;
        try {
            query = byId(clientId, scanId);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(false);
        }
        JsonArray allowed = new JsonArray();
        states.stream().filter(s -> !s.isTerminal()).forEach(s -> allowed.add(s.wireName()));
        query.put(STATE, new JsonObject().put("$in", allowed)).put(GATHER_ATTEMPTS, attempt);
        return increment(clientId, scanId, query, delta);
    }

    private Future<Boolean> increment(String clientId, String scanId, JsonObject query, ScanCounts delta) {
        JsonObject inc = new JsonObject();
        long[] values = ScanDocuments.countValues(delta);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                inc.put(COUNTS + "." + COUNT_FIELDS[i], values[i]);
            }
        }
        if (inc.isEmpty()) {
            return get(clientId, scanId).map(s -> s.map(scan -> !scan.state().isTerminal()).orElse(false));
        }
        JsonObject update = new JsonObject().put("$inc", inc)
                .put("$set", new JsonObject().put(UPDATED_AT, clock.millis()));
        return mongo.updateCollection(SCANS, query, update).map(r -> r.getDocMatched() == 1);
    }

    /**
     * Records failures on an active scan: the total grows by all of them, the list keeps only the
     * first {@code failures_kept} (so a scan of a million broken urls stays a small document).
     */
    public Future<Boolean> addFailures(String clientId, String scanId, List<ScanFailure> failures) {
        if (failures.isEmpty()) {
            return Future.succeededFuture(true);
        }
        JsonObject query;
        try {
            query = activeById(clientId, scanId);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(false);
        }
        JsonArray each = new JsonArray();
        failures.forEach(f -> each.add(ScanDocuments.failure(f)));
        JsonObject update = new JsonObject()
                .put("$push", new JsonObject().put(FAILURES, new JsonObject().put("$each", each)
                        .put("$slice", settings.failuresKept())))
                .put("$inc", new JsonObject().put(FAILURE_TOTAL, (long) failures.size()))
                .put("$set", new JsonObject().put(UPDATED_AT, clock.millis()));
        return mongo.updateCollection(SCANS, query, update).map(r -> r.getDocMatched() == 1);
    }

    /**
     * The acquire sweeper's look across every client: scans in acquiring or committing whose last
     * change is older than {@code updatedBefore}, oldest first, at most {@code limit} (capped at page_max).
     */
    public Future<List<Scan>> stuck(Instant updatedBefore, int limit) {
        return stale(ScanState.WATCHED, updatedBefore, limit);
    }

    /**
     * The watchdog's sweep across every client: scans in one of {@code states} whose last change
     * is older than {@code updatedBefore}, oldest first, at most {@code limit} (capped at page_max).
     */
    public Future<List<Scan>> stale(Set<ScanState> states, Instant updatedBefore, int limit) {
        JsonArray wire = new JsonArray();
        states.forEach(s -> wire.add(s.wireName()));
        JsonObject query = new JsonObject().put(STATE, new JsonObject().put("$in", wire))
                .put(UPDATED_AT, new JsonObject().put("$lt", updatedBefore.toEpochMilli()));
        FindOptions options = new FindOptions().setSort(new JsonObject().put(UPDATED_AT, 1))
                .setLimit(Math.max(1, Math.min(limit, settings.pageMax())));
        return mongo.findWithOptions(SCANS, query, options).map(docs -> docs.stream().map(ScanDocuments::scan).toList());
    }

    /**
     * Marks the scan as looked at now (its {@code updated_at}) if it is still in {@code state}
     * with {@code updatedAt} unchanged, so one watchdog's nudge is not repeated by another, or by
     * itself on the next sweep, before the stale window passes again. False if someone else moved
     * or touched it first.
     */
    public Future<Boolean> touch(Scan scan) {
        JsonObject query;
        try {
            query = byId(scan.clientId(), scan.id());
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(false);
        }
        query.put(STATE, scan.state().wireName()).put(UPDATED_AT, scan.updatedAt().toEpochMilli());
        JsonObject update = new JsonObject().put("$set", new JsonObject().put(UPDATED_AT, clock.millis()));
        return mongo.updateCollection(SCANS, query, update).map(r -> r.getDocMatched() == 1);
    }

    /**
     * Persists an event with the scan's next sequence number (one atomic {@code $inc} on the scan,
     * so concurrent appends get distinct, increasing numbers) and returns it with that number;
     * empty if the scan is missing or another client's.
     *
     * <p>Two appends racing may be inserted out of order (7 visible before 6 for a moment); a
     * dashboard resuming from 7 would miss 6, so a reader that needs every event should re-read
     * from a little before its last id.
     */
    public Future<Optional<ScanEvent>> appendEvent(ScanEvent draft) {
        JsonObject query;
        try {
            query = byId(draft.clientId(), draft.scanId());
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(Optional.empty());
        }
        JsonObject inc = new JsonObject().put("$inc", new JsonObject().put(EVENT_SEQ, 1L));
        FindOptions onlySeq = new FindOptions().setFields(new JsonObject().put(EVENT_SEQ, 1));
        return mongo.findOneAndUpdateWithOptions(SCANS, query, inc, onlySeq, new UpdateOptions().setReturningNewDocument(true))
                .compose(doc -> {
                    if (doc == null) {
                        return Future.succeededFuture(Optional.<ScanEvent>empty());
                    }
                    ScanEvent stored = draft.withSequence(doc.getLong(EVENT_SEQ));
                    return mongo.insert(EVENTS, ScanDocuments.event(stored)).map(id -> Optional.of(stored));
                });
    }

    /** The scan's events with a sequence above {@code afterSequence}, in order, at most {@code limit} (capped). */
    public Future<List<ScanEvent>> eventsAfter(String clientId, String scanId, long afterSequence, int limit) {
        JsonObject query;
        try {
            query = new JsonObject().put(CLIENT_ID, ScanIds.requireValid("client_id", clientId))
                    .put(SCAN_ID, ScanIds.requireValid("scan_id", scanId))
                    .put(SEQ, new JsonObject().put("$gt", afterSequence));
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(List.of());
        }
        FindOptions options = new FindOptions().setSort(new JsonObject().put(SEQ, 1))
                .setLimit(Math.max(1, Math.min(limit, settings.eventsPageMax())));
        return mongo.findWithOptions(EVENTS, query, options).map(docs -> docs.stream().map(ScanDocuments::event).toList());
    }

    /** The one conditional update behind every state change. */
    private Future<Optional<Scan>> move(String clientId, String scanId, Set<ScanState> from, ScanState to,
                                        JsonObject set, JsonObject inc, JsonObject extraQuery) {
        JsonObject query;
        try {
            query = byId(clientId, scanId);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(Optional.empty());
        }
        JsonArray states = new JsonArray();
        from.forEach(s -> states.add(s.wireName()));
        query.put(STATE, new JsonObject().put("$in", states));
        if (extraQuery != null) {
            query.mergeIn(extraQuery);
        }
        long now = clock.millis();
        JsonObject update = new JsonObject().put("$set", set.copy().put(STATE, to.wireName()).put(UPDATED_AT, now)
                .put(STATE_TIMES + "." + to.wireName(), now));
        if (inc != null) {
            update.put("$inc", inc);
        }
        return mongo.findOneAndUpdateWithOptions(SCANS, query, update, new FindOptions(),
                        new UpdateOptions().setReturningNewDocument(true))
                .map(ScanRepository::toScan)
                .onSuccess(moved -> moved.ifPresent(s -> LOG.info("scan moved client_id={} scan_id={} to={} attempt={}",
                        clientId, scanId, to.wireName(), s.gatherAttempts())));
    }

    static JsonObject byId(String clientId, String scanId) {
        return new JsonObject().put(ID, ScanIds.requireValid("scan_id", scanId))
                .put(CLIENT_ID, ScanIds.requireValid("client_id", clientId));
    }

    private static JsonObject activeById(String clientId, String scanId) {
        JsonArray states = new JsonArray();
        ScanState.active().forEach(s -> states.add(s.wireName()));
        return byId(clientId, scanId).put(STATE, new JsonObject().put("$in", states));
    }

    private static JsonObject extraFields(JsonObject fields) {
        JsonObject set = fields == null ? new JsonObject() : fields.copy();
        for (String key : set.fieldNames()) {
            String top = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (key.startsWith("$") || RESERVED.contains(top)) {
                throw new IllegalArgumentException("transition field '" + key + "' is owned by the scan repository");
            }
        }
        return set;
    }

    private static Optional<Scan> toScan(JsonObject doc) {
        return doc == null ? Optional.empty() : Optional.of(ScanDocuments.scan(doc));
    }
}
