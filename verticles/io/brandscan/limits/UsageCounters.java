package io.brandscan.limits;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;

/**
 * The per-client scan counters of each UTC day and month, one MongoDB document per (client,
 * period): {@code {_id: "acme|day|2026-11-22", client_id, period, key, count, expires_at}}. A new
 * period is a new document, so nothing is ever reset. Taking a unit is one conditional update
 * ({@code count < limit} then {@code $inc}), so two processes can never both take the last one;
 * no transactions are needed.
 */
final class UsageCounters {
    private final MongoClient mongo;
    private final String collection;

    UsageCounters(MongoClient mongo, String collection) {
        this.mongo = mongo;
        this.collection = collection;
    }

    static String id(String clientId, UsagePeriod period, Instant now) {
        return clientId + "|" + period.name().toLowerCase(java.util.Locale.ROOT) + "|" + period.key(now);
    }

    /** Takes one unit of the period of {@code now}; false, with nothing taken, when {@code limit} is used up. */
    Future<Boolean> take(String clientId, UsagePeriod period, Instant now, long limit) {
        if (limit <= 0) {
            return Future.succeededFuture(false);
        }
        String id = id(clientId, period, now);
        return ensure(id, clientId, period, now)
                .compose(v -> mongo.findOneAndUpdate(collection,
                        new JsonObject().put("_id", id).put("count", new JsonObject().put("$lt", limit)),
                        new JsonObject().put("$inc", new JsonObject().put("count", 1))))
                .map(doc -> doc != null);
    }

    /** Gives back one unit taken in the period of {@code takenAt} (never below zero). */
    Future<Void> giveBack(String clientId, UsagePeriod period, Instant takenAt) {
        return mongo.updateCollection(collection,
                new JsonObject().put("_id", id(clientId, period, takenAt)).put("count", new JsonObject().put("$gt", 0)),
                new JsonObject().put("$inc", new JsonObject().put("count", -1))).mapEmpty();
    }

    /** Units used in the period of {@code now}. */
    Future<Long> used(String clientId, UsagePeriod period, Instant now) {
        return mongo.findOne(collection, new JsonObject().put("_id", id(clientId, period, now)), new JsonObject().put("count", 1))
                .map(doc -> doc == null ? 0L : doc.getLong("count", 0L));
    }

    /** Creates the counter at zero if missing, so the conditional $inc always has a document to match. */
    private Future<Void> ensure(String id, String clientId, UsagePeriod period, Instant now) {
        JsonObject fresh = new JsonObject().put("client_id", clientId)
                .put("period", period.name().toLowerCase(java.util.Locale.ROOT)).put("key", period.key(now))
                .put("count", 0L).put("expires_at", period.expiresAfter(now).toEpochMilli());
        return mongo.updateCollectionWithOptions(collection, new JsonObject().put("_id", id),
                        new JsonObject().put("$setOnInsert", fresh), new UpdateOptions().setUpsert(true))
                .<Void>mapEmpty()
                // Two first takes racing may both try the insert; the loser finds the document there.
                .recover(e -> Duplicates.isDuplicateKey(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }
}
