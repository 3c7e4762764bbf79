package io.brandscan.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code brands} collection: one document per brand, {@code _id} = client id + "/" + brand
 * id, with {@code client_id}, {@code brand_id}, the brand's fields flat at top level
 * ({@link BrandDocument#FIELDS}), {@code created_at} and {@code updated_at} (epoch ms). A PUT
 * {@code $set}s the brand fields it carries and {@code $unset}s the brand fields it omits, and
 * touches nothing else, so fields kept there by others (the scheduler's {@code next_slot}, the
 * uploaded {@code reference_uploads}) survive it. Every query filters by client id.
 */
public final class Brands {
    static final String BRANDS = "brands";

    private final MongoClient mongo;
    private final Clock clock;

    public Brands(MongoClient mongo, Clock clock) {
        this.mongo = Objects.requireNonNull(mongo, "mongo");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Future<Void> createIndexes() {
        return mongo.createIndex(BRANDS, new JsonObject().put("client_id", 1).put("brand_id", 1)).mapEmpty();
    }

    static String id(String clientId, String brandId) {
        return clientId + "/" + brandId;
    }

    /** Stores the brand's fields; true when the brand was created, false when replaced. */
    public Future<Boolean> put(String clientId, String brandId, JsonObject fields) {
        long now = clock.millis();
        JsonObject set = fields.copy().put("client_id", clientId).put("brand_id", brandId).put("updated_at", now);
        JsonObject unset = new JsonObject();
        for (String field : BrandDocument.FIELDS) {
            if (!fields.containsKey(field)) {
                unset.put(field, "");
            }
        }
        JsonObject update = new JsonObject().put("$set", set).put("$setOnInsert", new JsonObject().put("created_at", now));
        if (!unset.isEmpty()) {
            update.put("$unset", unset);
        }
        JsonObject query = new JsonObject().put("_id", id(clientId, brandId)).put("client_id", clientId);
        return mongo.updateCollectionWithOptions(BRANDS, query, update, new UpdateOptions().setUpsert(true))
                .map(r -> r.getDocUpsertedId() != null);
    }

    /** The stored document, or empty if missing or another client's. */
    public Future<Optional<JsonObject>> get(String clientId, String brandId) {
        return mongo.findOne(BRANDS, new JsonObject().put("_id", id(clientId, brandId)).put("client_id", clientId), null)
                .map(Optional::ofNullable);
    }

    public Future<List<JsonObject>> list(String clientId, int offset, int limit) {
        FindOptions options = new FindOptions().setSort(new JsonObject().put("brand_id", 1)).setSkip(offset).setLimit(limit);
        return mongo.findWithOptions(BRANDS, new JsonObject().put("client_id", clientId), options)
                .map(docs -> docs.stream().map(Brands::view).toList());
    }

    public Future<Boolean> delete(String clientId, String brandId) {
        return mongo.removeDocument(BRANDS, new JsonObject().put("_id", id(clientId, brandId)).put("client_id", clientId))
                .map(r -> r != null && r.getRemovedCount() == 1);
    }

    /** Adds a seller to the brand's {@code authorized_sellers} (a reviewer's allowlist decision). */
    public Future<Boolean> allowSeller(String clientId, String brandId, String seller) {
        JsonObject query = new JsonObject().put("_id", id(clientId, brandId)).put("client_id", clientId);
        JsonObject update = new JsonObject().put("$addToSet", new JsonObject().put("authorized_sellers", seller))
                .put("$set", new JsonObject().put("updated_at", clock.millis()));
        return mongo.updateCollection(BRANDS, query, update).map(r -> r.getDocMatched() == 1);
    }

    /** The API's view: the stored document with {@code id} (the brand id) instead of {@code _id}. */
    public static JsonObject view(JsonObject doc) {
        JsonObject view = doc.copy();
        view.remove("_id");
        return new JsonObject().put("id", doc.getString("brand_id")).mergeIn(view);
    }

    /**
     * What a scan is scored against: the brand's own fields as they are now, plus
     * {@code reference_uploads} (the uploaded references, see {@link ReferenceUploads}).
     */
    public static JsonObject snapshot(JsonObject doc) {
        JsonObject snapshot = new JsonObject();
        if (doc.containsKey("reference_uploads")) {
            snapshot.put("reference_uploads", doc.getValue("reference_uploads"));
        }
        for (String field : BrandDocument.FIELDS) {
            if (doc.containsKey(field)) {
                snapshot.put(field, doc.getValue(field));
            }
        }
        return snapshot;
    }
}
