package io.brandscan.store;

import io.brandscan.scan.ReviewStatus;
import io.brandscan.scan.ScanIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static io.brandscan.store.ScanDocuments.CLIENT_ID;
import static io.brandscan.store.ScanDocuments.CREATED_AT;
import static io.brandscan.store.ScanDocuments.ID;
import static io.brandscan.store.ScanDocuments.SCAN_ID;
import static io.brandscan.store.ScanDocuments.UPDATED_AT;

/**
 * The {@code findings} collection. Findings are upserted under deterministic ids, so running the
 * AI phase again for a scan rewrites the same documents: score, breakdown and listing snapshot
 * are replaced ({@code $set}) while the review status and creation time are written only on
 * insert ({@code $setOnInsert}), so a re-run never reopens a finding a reviewer already closed.
 * Every read and write filters by client id; another client's finding reads as missing.
 */
public final class FindingRepository {
    private static final Logger LOG = LoggerFactory.getLogger(FindingRepository.class);
    static final String FINDINGS = "findings";
    static final String SCORE = "score";
    static final String REVIEW_STATUS = "review_status";

    private final MongoClient mongo;
    private final StoreSettings settings;
    private final Clock clock;

    public FindingRepository(MongoClient mongo, StoreSettings settings, Clock clock) {
        this.mongo = Objects.requireNonNull(mongo, "mongo");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The index behind the findings page: a client's scan's findings by score. */
    public Future<Void> createIndexes() {
        return mongo.createIndex(FINDINGS, new JsonObject().put(CLIENT_ID, 1).put(SCAN_ID, 1).put(SCORE, -1).put(ID, 1))
                .mapEmpty();
    }

    /**
     * Stores the scan's findings (chunks of {@code bulk_chunk}); returns how many distinct findings
     * were written. Two drafts with the same normalised url are one finding (the later wins); a
     * draft whose url is not a listing url fails the whole call before anything is written.
     */
    public Future<Integer> upsert(String clientId, String scanId, List<FindingDraft> drafts) {
        Map<String, BulkOperation> byId = new LinkedHashMap<>();
        long now = clock.millis();
        try {
            for (FindingDraft draft : drafts) {
                String id = ScanIds.finding(clientId, scanId, draft.url());
                JsonObject set = new JsonObject()
                        .put(CLIENT_ID, clientId)
                        .put(SCAN_ID, scanId)
                        .put("listing_id", ScanIds.listing(clientId, scanId, draft.url()))
                        .put("url", draft.url())
                        .put(SCORE, draft.score())
                        .put("breakdown", draft.breakdown())
                        .put("listing", draft.listing())
                        .put(UPDATED_AT, now);
                JsonObject update = new JsonObject().put("$set", set).put("$setOnInsert", new JsonObject()
                        .put(REVIEW_STATUS, ReviewStatus.OPEN.wireName()).put(CREATED_AT, now));
                // By _id alone: the id is a SHA-256 over (client, scan, url), so it names the client
                // already, and an exact {_id} filter is the one mongo-java-server (the stand-in) can
                // serve from its index; {_id, client_id} made it scan every finding per upsert.
                byId.put(id, BulkOperation.createUpdate(new JsonObject().put(ID, id), update, true, false));
            }
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        List<BulkOperation> operations = new ArrayList<>(byId.values());
        return writeChunks(operations, 0).map(v -> {
            LOG.info("findings stored client_id={} scan_id={} count={}", clientId, scanId, operations.size());
            return operations.size();
        });
    }

    /** One page of the scan's findings matching {@code query}, highest score first (ties by id). */
    public Future<List<Finding>> find(String clientId, String scanId, FindingQuery query) {
        Optional<JsonObject> filter = filter(clientId, scanId, query);
        if (filter.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        Page p = query.page().cappedAt(settings.pageMax());
        FindOptions options = new FindOptions().setSort(new JsonObject().put(SCORE, -1).put(ID, 1))
                .setSkip(p.offset()).setLimit(p.limit());
        return mongo.findWithOptions(FINDINGS, filter.get(), options)
                .map(docs -> docs.stream().map(FindingRepository::finding).toList());
    }

    /** How many of the scan's findings match {@code query}'s score and status filters (its page is ignored). */
    public Future<Long> count(String clientId, String scanId, FindingQuery query) {
        return filter(clientId, scanId, query).map(f -> mongo.count(FINDINGS, f)).orElse(Future.succeededFuture(0L));
    }

    /** One finding of the client; empty if missing or another client's. */
    public Future<Optional<Finding>> get(String clientId, String findingId) {
        if (findingId == null) {
            return Future.succeededFuture(Optional.empty());
        }
        try {
            ScanIds.requireValid("client_id", clientId);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(Optional.empty());
        }
        return mongo.findOne(FINDINGS, new JsonObject().put(ID, findingId).put(CLIENT_ID, clientId), null)
                .map(doc -> Optional.ofNullable(doc).map(FindingRepository::finding));
    }

    private static Optional<JsonObject> filter(String clientId, String scanId, FindingQuery query) {
        JsonObject filter;
        try {
            filter = new JsonObject().put(CLIENT_ID, ScanIds.requireValid("client_id", clientId))
                    .put(SCAN_ID, ScanIds.requireValid("scan_id", scanId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (query.minScore() > 0) {
            filter.put(SCORE, new JsonObject().put("$gte", query.minScore()));
        }
        if (query.reviewStatus() != null) {
            filter.put(REVIEW_STATUS, query.reviewStatus().wireName());
        }
        return Optional.of(filter);
    }

    private Future<Void> writeChunks(List<BulkOperation> operations, int from) {
        if (from >= operations.size()) {
            return Future.succeededFuture();
        }
        int to = Math.min(operations.size(), from + settings.bulkChunk());
        return mongo.bulkWriteWithOptions(FINDINGS, operations.subList(from, to), new BulkWriteOptions(false))
                .compose(r -> writeChunks(operations, to));
    }

    static Finding finding(JsonObject doc) {
        Long created = doc.getLong(CREATED_AT);
        Long updated = doc.getLong(UPDATED_AT);
        return new Finding(doc.getString(ID), doc.getString(CLIENT_ID), doc.getString(SCAN_ID), doc.getString("listing_id"),
                doc.getString("url"), doc.getDouble(SCORE), doc.getJsonObject("breakdown"), doc.getJsonObject("listing"),
                ReviewStatus.fromWire(doc.getString(REVIEW_STATUS, ReviewStatus.OPEN.wireName())),
                created == null ? null : Instant.ofEpochMilli(created), updated == null ? null : Instant.ofEpochMilli(updated));
    }
}
