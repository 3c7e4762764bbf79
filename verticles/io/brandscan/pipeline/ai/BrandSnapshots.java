package io.brandscan.pipeline.ai;

import io.brandscan.scan.ScanIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.util.Objects;
import java.util.Optional;

/**
 * Reads the brand snapshot a scan carries in its {@code brand} field (PIPELINE.md): the brand
 * configuration as it was when the scan started, which is what the scan is scored against.
 *
 * <p>Why here and not in {@code ScanRepository}: on this branch the repository has no accessor
 * for the snapshot yet (the gather branch adds {@code ScanRepository.brand(clientId, scanId)} with
 * the same query); once both are merged this class can delegate to it. It reads only that one
 * field of the {@code scans} document, filtered by {@code _id} and {@code client_id}, so another
 * client's scan reads as missing, as everywhere in the store.
 */
public final class BrandSnapshots {
    static final String SCANS = "scans";

    private final MongoClient mongo;

    public BrandSnapshots(MongoClient mongo) {
        this.mongo = Objects.requireNonNull(mongo, "mongo");
    }

    /** The scan's brand snapshot; empty when the scan is missing, another client's, or has none. */
    public Future<Optional<JsonObject>> read(String clientId, String scanId) {
        JsonObject query;
        try {
            query = new JsonObject().put("_id", ScanIds.requireValid("scan_id", scanId))
                    .put("client_id", ScanIds.requireValid("client_id", clientId));
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(Optional.empty());
        }
        return mongo.findOne(SCANS, query, new JsonObject().put("brand", 1))
                .map(doc -> doc != null && doc.getValue("brand") instanceof JsonObject brand
                        ? Optional.of(brand) : Optional.<JsonObject>empty());
    }
}
