package io.brandscan.limits;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The running-scan slots of each client, one MongoDB document per client:
 * {@code {_id: client, client_id, count, held: [{scan_id, at}]}}. Taking a slot is one conditional
 * update ({@code count < limit} and this scan not already holding one, then {@code $inc} and
 * {@code $push}); releasing is one conditional update on the scan holding a slot, so releasing
 * twice frees one slot, never two. Keeping the scan ids, not just a count, is what lets
 * {@link ClientLimiter} reconcile against the {@code scans} collection when a release was missed.
 */
final class ScanSlots {
    /** A slot and since when its scan has held it. */
    record Held(String scanId, Instant at) {
    }

    private final MongoClient mongo;
    private final String collection;

    ScanSlots(MongoClient mongo, String collection) {
        this.mongo = mongo;
        this.collection = collection;
    }

    /** Takes a slot for {@code scanId}; false when all {@code limit} slots are held (or it holds one already). */
    Future<Boolean> take(String clientId, String scanId, int limit, Instant now) {
        if (limit <= 0) {
            return Future.succeededFuture(false);
        }
        JsonObject query = new JsonObject().put("_id", clientId).put("count", new JsonObject().put("$lt", limit))
                .put("held.scan_id", new JsonObject().put("$ne", scanId));
        JsonObject update = new JsonObject().put("$inc", new JsonObject().put("count", 1))
                .put("$push", new JsonObject().put("held", new JsonObject().put("scan_id", scanId).put("at", now.toEpochMilli())));
        return ensure(clientId).compose(v -> mongo.findOneAndUpdate(collection, query, update)).map(doc -> doc != null);
    }

    /** Frees the slot {@code scanId} holds; false when it held none (already released, or never admitted). */
    Future<Boolean> release(String clientId, String scanId) {
        JsonObject query = new JsonObject().put("_id", clientId).put("held.scan_id", scanId);
        JsonObject update = new JsonObject().put("$inc", new JsonObject().put("count", -1))
                .put("$pull", new JsonObject().put("held", new JsonObject().put("scan_id", scanId)));
        return mongo.updateCollection(collection, query, update).map(r -> r.getDocModified() > 0);
    }

    /** The slots the client holds now. */
    Future<List<Held>> held(String clientId) {
        return mongo.findOne(collection, new JsonObject().put("_id", clientId), new JsonObject().put("held", 1))
                .map(doc -> {
                    List<Held> out = new ArrayList<>();
                    JsonArray held = doc == null ? null : doc.getJsonArray("held");
                    if (held != null) {
                        for (int i = 0; i < held.size(); i++) {
                            JsonObject h = held.getJsonObject(i);
                            out.add(new Held(h.getString("scan_id"), Instant.ofEpochMilli(h.getLong("at", 0L))));
                        }
                    }
                    return out;
                });
    }

    private Future<Void> ensure(String clientId) {
        JsonObject fresh = new JsonObject().put("client_id", clientId).put("count", 0L).put("held", new JsonArray());
        return mongo.updateCollectionWithOptions(collection, new JsonObject().put("_id", clientId),
                        new JsonObject().put("$setOnInsert", fresh), new UpdateOptions().setUpsert(true))
                .<Void>mapEmpty()
                .recover(e -> Duplicates.isDuplicateKey(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }
}
