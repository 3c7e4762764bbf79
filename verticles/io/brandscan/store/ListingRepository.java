package io.brandscan.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanIds;
import io.brandscan.scan.ScanState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static io.brandscan.store.ScanDocuments.CLIENT_ID;
import static io.brandscan.store.ScanDocuments.COMMITTED_BATCH;
import static io.brandscan.store.ScanDocuments.COUNTS;
import static io.brandscan.store.ScanDocuments.GATHER_ATTEMPTS;
import static io.brandscan.store.ScanDocuments.ID;
import static io.brandscan.store.ScanDocuments.SCAN_ID;
import static io.brandscan.store.ScanDocuments.STATE;
import static io.brandscan.store.ScanDocuments.STATE_TIMES;
import static io.brandscan.store.ScanDocuments.UPDATED_AT;

/**
 * The {@code listings} collection and the atomic batch commit, done without multi-document
 * transactions (mongo-java-server has none):
 * <ol>
 *   <li>every listing is written under its deterministic id (client, scan, normalised url),
 *       tagged with the batch key of the gather attempt, in chunks of {@code bulk_chunk}: first
 *       inserted (unordered), and only the listings that already have a document (a retried
 *       commit, another committer, an older attempt) are then replace-upserted; a retried commit
 *       overwrites the same documents, never adds more;</li>
 *   <li>then ONE conditional single-document update moves the scan from committing to scoring,
 *       records {@code committed_batch} and the committed count. Only one caller can win it.</li>
 * </ol>
 * Readers look up the scan's {@code committed_batch} first and read only listings tagged with it,
 * so a half-written batch, or leftovers of an abandoned attempt, are never seen.
 *
 * <p>A committer from an older attempt (it lost its lease while the scan was re-gathered) is
 * refused before writing, and even if it races past that check its writes cannot overwrite a
 * newer attempt's documents: each replace only matches a document of the same or an older
 * attempt, otherwise the upsert collides on {@code _id} and the commit reports {@code STALE}.
 *
 * <p>Why insert first: a batch's first commit (nearly every commit) meets no documents, and an
 * insert costs one probe of the unique {@code _id} index on any server, where the guarded replace
 * has a three-field filter that mongo-java-server (the embedded stand-in) answers by scanning
 * the whole collection: a 10,000-listing commit took 18 s that way.
 */
public final class ListingRepository {
    private static final Logger LOG = LoggerFactory.getLogger(ListingRepository.class);
    static final String LISTINGS = "listings";
    static final String BATCH_KEY = "batch_key";
    static final String GATHER_ATTEMPT = "gather_attempt";
    static final String URL = "url";
    static final String EMBEDDING = "embedding";
    static final String WRITTEN_AT = "written_at";

    private final MongoClient mongo;
    private final StoreSettings settings;
    private final Clock clock;
    private final ScanRepository scans;

    public ListingRepository(MongoClient mongo, StoreSettings settings, Clock clock, ScanRepository scans) {
        this.mongo = Objects.requireNonNull(mongo, "mongo");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scans = Objects.requireNonNull(scans, "scans");
    }

    /** The index every read uses: a client's scan's listings of one batch, in keyset ({@code _id}) order. */
    public Future<Void> createIndexes() {
        return mongo.createIndex(LISTINGS, new JsonObject().put(CLIENT_ID, 1).put(SCAN_ID, 1).put(BATCH_KEY, 1).put(ID, 1))
                .mapEmpty();
    }

    /**
     * Commits {@code batch}'s listings (JSON objects with at least {@code url}; other fields are kept
     * as given) and flips the scan to scoring. Idempotent: calling it again for the same batch
     * leaves the same documents and answers {@link CommitResult.Outcome#ALREADY_COMMITTED}.
     * Listings whose url is missing or not a listing url are skipped and counted; two listings
     * with the same normalised url are stored once (the later wins).
     */
    public Future<CommitResult> commit(String clientId, BatchKey batch, List<JsonObject> listings) {
        return commit(clientId, batch, ListingPages.of(listings, Math.max(1, listings.size())));
    }

    /**
     * {@link #commit(String, BatchKey, List)} with the listings read a page at a time: each page
     * is written before the next is read, and the scan flips once every page is written.
     */
    public Future<CommitResult> commit(String clientId, BatchKey batch, ListingPages listings) {
        if (!batch.clientId().equals(clientId)) {
            return Future.failedFuture(new IllegalArgumentException("batch " + batch + " is not client " + clientId + "'s"));
        }
        return scans.get(clientId, batch.scanId()).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture(new CommitResult(CommitResult.Outcome.NOT_FOUND, 0, 0, Optional.empty()));
            }
            Scan scan = found.get();
            if (batch.toString().equals(scan.committedBatch())) {
                return Future.succeededFuture(new CommitResult(CommitResult.Outcome.ALREADY_COMMITTED, 0, 0, found));
            }
            if (scan.state() != ScanState.COMMITTING || scan.gatherAttempts() != batch.attempt()) {
                LOG.warn("stale commit refused client_id={} scan_id={} batch={} state={} attempt={}", clientId,
                        scan.id(), batch, scan.state().wireName(), scan.gatherAttempts());
                return Future.succeededFuture(new CommitResult(CommitResult.Outcome.STALE, 0, 0, found));
            }
            return write(batch, listings);
        });
    }

    /**
     * The scan's committed listings in {@code _id} order, up to {@code limit} (capped at
     * {@code page_max}) after the listing id {@code after} (null for the first page): keyset
     * paging, so reading a scan of n listings costs n, not the n&sup2; of skip/limit. Empty while
     * the scan has no committed batch or is another client's.
     */
    public Future<List<JsonObject>> committedListings(String clientId, String scanId, String after, int limit) {
        if (limit < 1) {
            return Future.failedFuture(new IllegalArgumentException("page limit must be at least 1"));
        }
        int capped = Math.min(limit, settings.pageMax());
        return committedBatch(clientId, scanId).compose(batch -> {
            if (batch.isEmpty()) {
                return Future.succeededFuture(List.<JsonObject>of());
            }
            JsonObject query = visible(clientId, scanId, batch.get());
            if (after != null) {
                query.put(ID, new JsonObject().put("$gt", after));
            }
            FindOptions options = new FindOptions().setSort(new JsonObject().put(ID, 1)).setLimit(capped);
            return mongo.findWithOptions(LISTINGS, query, options);
        });
    }

    /** How many listings the scan committed; 0 while uncommitted or another client's. */
    public Future<Long> countCommitted(String clientId, String scanId) {
        return committedBatch(clientId, scanId).compose(batch -> batch.isEmpty()
                ? Future.succeededFuture(0L)
                : mongo.count(LISTINGS, visible(clientId, scanId, batch.get())));
    }

    /** One committed listing by id; empty if uncommitted, of an abandoned attempt, missing or another client's. */
    public Future<Optional<JsonObject>> get(String clientId, String scanId, String listingId) {
        return committedBatch(clientId, scanId).compose(batch -> batch.isEmpty()
                ? Future.succeededFuture(Optional.<JsonObject>empty())
                : mongo.findOne(LISTINGS, visible(clientId, scanId, batch.get()).put(ID, listingId), null)
                        .map(Optional::ofNullable));
    }

    private Future<Optional<String>> committedBatch(String clientId, String scanId) {
        return scans.get(clientId, scanId).map(scan -> scan.map(Scan::committedBatch));
    }

    private static JsonObject visible(String clientId, String scanId, String batch) {
        return new JsonObject().put(CLIENT_ID, clientId).put(SCAN_ID, scanId).put(BATCH_KEY, batch);
    }

    private Future<CommitResult> write(BatchKey batch, ListingPages listings) {
        return write(batch, listings, 1);
    }

    /**
     * A duplicate key means either a newer attempt owns a document (we lost) or, on a real
     * MongoDB, a committer of the same batch inserted it between our match and our insert; in the
     * latter case the scan is still committing this attempt and one more pass simply overwrites.
     */
    private Future<CommitResult> write(BatchKey batch, ListingPages listings, int retriesLeft) {
        return writePages(batch, listings, 0, new HashSet<>(), new Written(0, 0))
                .compose(w -> flip(batch, w.written(), w.skipped()), error -> {
                    if (!isDuplicateKey(error)) {
                        return Future.failedFuture(error);
                    }
                    return scans.get(batch.clientId(), batch.scanId()).compose(scan -> {
                        if (scan.isPresent() && batch.toString().equals(scan.get().committedBatch())) {
                            return Future.succeededFuture(new CommitResult(CommitResult.Outcome.ALREADY_COMMITTED, 0, 0, scan));
                        }
                        boolean stillOurs = scan.isPresent() && scan.get().state() == ScanState.COMMITTING
                                && scan.get().gatherAttempts() == batch.attempt();
                        if (stillOurs && retriesLeft > 0) {
                            return write(batch, listings, retriesLeft - 1);
                        }
                        LOG.warn("commit lost to a newer attempt client_id={} scan_id={} batch={}",
                                batch.clientId(), batch.scanId(), batch);
                        return Future.succeededFuture(new CommitResult(CommitResult.Outcome.STALE, 0, 0, scan));
                    });
                });
    }

    /** How many listing documents the first step wrote and how many listings it skipped. */
    record Written(int written, int skipped) {
        Written plus(Written other) {
            return new Written(written + other.written, skipped + other.skipped);
        }
    }

    /** Writes the pages from {@code offset} on, one at a time; {@code ids} are those written so far. */
    private Future<Written> writePages(BatchKey batch, ListingPages pages, int offset, Set<String> ids, Written sofar) {
        return pages.read(offset).compose(page -> page.isEmpty() ? Future.succeededFuture(sofar)
                : writePage(batch, page, ids).compose(w -> writePages(batch, pages, offset + page.size(), ids,
                        sofar.plus(w))));
    }

    /**
     * The first step of a commit alone: the listing documents, not yet visible. Package-private so
     * tests can stand in for a committer that crashed between the two steps.
     */
    Future<Written> writeListings(BatchKey batch, List<JsonObject> listings) {
        return writePage(batch, listings, new HashSet<>());
    }

    /**
     * Writes one page; a listing whose id an earlier page of this commit wrote (the same url
     * twice) is written again, the later winning, and counted once.
     */
    private Future<Written> writePage(BatchKey batch, List<JsonObject> listings, Set<String> ids) {
        // Building the documents converts every embedding (1,280 numbers each): on a worker
        // thread, never on the event loop the commit runs on.
        Context context = Vertx.currentContext();
        if (context == null) {
            return insertThenReplace(batch, documents(batch, listings), ids);
        }
        return context.executeBlocking(() -> documents(batch, listings), false)
                .compose(docs -> insertThenReplace(batch, docs, ids));
    }

    /** The listings' documents by id, and how many listings had no usable url. */
    private record Documents(Map<String, JsonObject> byId, int skipped) {
    }

    private Documents documents(BatchKey batch, List<JsonObject> listings) {
        Map<String, JsonObject> byId = new LinkedHashMap<>();
        int skipped = 0;
        long now = clock.millis();
        for (JsonObject listing : listings) {
            String id;
            try {
                id = ScanIds.listing(batch.clientId(), batch.scanId(), listing == null ? null : listing.getString(URL));
            } catch (IllegalArgumentException | ClassCastException e) {
                skipped++;
                continue;
            }
            // A shallow copy: the result's fields are only read from here on, and a deep copy of
            // 2,000 embeddings was a second set of 2.5 million boxed numbers. The embedding itself
            // is stored as float32 binary (StoredEmbedding).
            JsonObject doc = new JsonObject(new LinkedHashMap<>(listing.getMap()));
            if (doc.containsKey(EMBEDDING)) {
                doc.put(EMBEDDING, StoredEmbedding.toStored(doc.getValue(EMBEDDING)));
            }
            byId.put(id, doc.put(ID, id).put(CLIENT_ID, batch.clientId()).put(SCAN_ID, batch.scanId())
                    .put(BATCH_KEY, batch.toString()).put(GATHER_ATTEMPT, batch.attempt()).put(WRITTEN_AT, now));
        }
        return new Documents(byId, skipped);
    }

    private Future<Written> insertThenReplace(BatchKey batch, Documents docs, Set<String> ids) {
        List<JsonObject> all = new ArrayList<>(docs.byId().values());
        int fresh = 0;
        for (String id : docs.byId().keySet()) {
            fresh += ids.add(id) ? 1 : 0;
        }
        Written written = new Written(fresh, docs.skipped());
        List<JsonObject> existing = new ArrayList<>();
        return insertChunks(all, 0, existing).compose(v -> {
            // Matching only the same or an older attempt: a newer attempt's document makes the
            // upsert collide on _id (E11000) instead of being overwritten by a stale committer.
            List<BulkOperation> replaces = new ArrayList<>(existing.size());
            for (JsonObject doc : existing) {
                replaces.add(BulkOperation.createReplace(new JsonObject().put(ID, doc.getString(ID))
                        .put(CLIENT_ID, batch.clientId())
                        .put(GATHER_ATTEMPT, new JsonObject().put("$lte", batch.attempt())), doc, true));
            }
            return replaceChunks(replaces, 0);
        }).map(v -> written);
    }

    /**
     * Inserts the documents a chunk at a time (one chunk per commit in flight), unordered so one
     * existing document does not stop the rest; adds to {@code existing} those whose id was taken.
     */
    private Future<Void> insertChunks(List<JsonObject> docs, int from, List<JsonObject> existing) {
        if (from >= docs.size()) {
            return Future.succeededFuture();
        }
        int to = Math.min(docs.size(), from + settings.bulkChunk());
        List<JsonObject> chunk = docs.subList(from, to);
        List<BulkOperation> inserts = new ArrayList<>(chunk.size());
        for (JsonObject doc : chunk) {
            inserts.add(BulkOperation.createInsert(doc));
        }
        return mongo.bulkWriteWithOptions(LISTINGS, inserts, new BulkWriteOptions(false))
                .<Void>mapEmpty()
                .recover(error -> {
                    if (!(error instanceof MongoBulkWriteException bulk) || bulk.getWriteConcernError() != null) {
                        return Future.failedFuture(error);
                    }
                    for (BulkWriteError e : bulk.getWriteErrors()) {
                        if (e.getCategory() != ErrorCategory.DUPLICATE_KEY) {
                            return Future.failedFuture(error);
                        }
                        existing.add(chunk.get(e.getIndex()));
                    }
                    return Future.succeededFuture();
                })
                .compose(v -> insertChunks(docs, to, existing));
    }

    /** The guarded replaces, a chunk at a time. */
    private Future<Void> replaceChunks(List<BulkOperation> operations, int from) {
        if (from >= operations.size()) {
            return Future.succeededFuture();
        }
        int to = Math.min(operations.size(), from + settings.bulkChunk());
        return mongo.bulkWriteWithOptions(LISTINGS, operations.subList(from, to), new BulkWriteOptions(false))
                .compose(r -> replaceChunks(operations, to));
    }

    private Future<CommitResult> flip(BatchKey batch, int written, int skipped) {
        long now = clock.millis();
        JsonObject query = ScanRepository.byId(batch.clientId(), batch.scanId())
                .put(STATE, ScanState.COMMITTING.wireName()).put(GATHER_ATTEMPTS, batch.attempt());
        JsonObject update = new JsonObject().put("$set", new JsonObject()
                .put(STATE, ScanState.SCORING.wireName())
                .put(COMMITTED_BATCH, batch.toString())
                .put(COUNTS + ".committed", (long) written)
                .put(STATE_TIMES + "." + ScanState.SCORING.wireName(), now)
                .put(UPDATED_AT, now));
        return mongo.findOneAndUpdateWithOptions(ScanRepository.SCANS, query, update, new FindOptions(),
                        new UpdateOptions().setReturningNewDocument(true))
                .compose(doc -> {
                    if (doc != null) {
                        LOG.info("batch committed client_id={} scan_id={} batch={} listings={} skipped={}",
                                batch.clientId(), batch.scanId(), batch, written, skipped);
                        return Future.succeededFuture(new CommitResult(CommitResult.Outcome.COMMITTED, written, skipped,
                                Optional.of(ScanDocuments.scan(doc))));
                    }
                    // Someone else flipped first (a retry racing us) or the scan moved on: say which.
                    return scans.get(batch.clientId(), batch.scanId()).map(scan -> new CommitResult(
                            scan.map(s -> batch.toString().equals(s.committedBatch())).orElse(false)
                                    ? CommitResult.Outcome.ALREADY_COMMITTED : CommitResult.Outcome.STALE,
                            written, skipped, scan));
                });
    }

    private static boolean isDuplicateKey(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("E11000")) {
                return true;
            }
        }
        return false;
    }
}
