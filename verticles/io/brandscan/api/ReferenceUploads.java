package io.brandscan.api;

import io.brandscan.embedding.image.DecodeFailure;
import io.brandscan.embedding.image.DecodedImage;
import io.brandscan.embedding.image.ImageDecodeException;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.scoring.ImageSignature;
import io.brandscan.embedding.scoring.ReferenceViews;
import io.brandscan.embedding.scoring.SignatureJson;
import io.brandscan.embedding.worker.EmbeddingClient;
import io.brandscan.storage.ContentKey;
import io.brandscan.storage.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reference images uploaded for a brand, prepared once instead of on every scan: the bytes are
 * decoded ({@link ImageDecoder}: 415 when they are not an image, 413 when the image has too many
 * pixels) and hashed ({@link ImageFingerprint}) on a worker pool, the whole image and its
 * {@link ReferenceViews} crops are embedded by the embedding verticle ({@link EmbeddingClient}),
 * and the bytes are stored in S3 under their content hash ({@link ObjectStore}).
 *
 * <p>The signature is one document of {@code reference_images}: {@code _id} = client/brand/sha256,
 * {@code client_id}, {@code brand_id}, {@code sha256}, {@code s3_path}, {@code content_type},
 * {@code size}, {@code format}, {@code width}, {@code height}, {@code fingerprint}
 * ({@link ImageFingerprint#toHex()}), {@code embedding} (the whole image), {@code view_embeddings}
 * (one per {@link ReferenceViews#NAMES} crop, in that order), {@code created_at},
 * {@code created_by}. The brand document gets {@code reference_uploads}: [{@code id} (sha256),
 * {@code s3_path}], which travels in every scan's brand snapshot. The same image uploaded twice
 * is one reference.
 */
public final class ReferenceUploads {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceUploads.class);
    static final String COLLECTION = "reference_images";

    /** What the worker pool computes from the bytes. */
    private record Prepared(DecodedImage decoded, List<BufferedImage> crops, ImageFingerprint fingerprint, String sha256) {
    }

    private final MongoClient mongo;
    private final ObjectStore objects;
    private final EmbeddingClient embedding;
    private final WorkerExecutor workers;
    private final ImageDecoder decoder;
    private final Clock clock;

    public ReferenceUploads(MongoClient mongo, ObjectStore objects, EmbeddingClient embedding, WorkerExecutor workers,
                            ImageDecoder decoder, Clock clock) {
        this.mongo = Objects.requireNonNull(mongo, "mongo");
        this.objects = Objects.requireNonNull(objects, "objects");
        this.embedding = Objects.requireNonNull(embedding, "embedding");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds the image to the client's brand {@code brand} (its stored document); answers the
     * reference's summary and whether it was new. Refuses a brand already holding
     * {@code maxImages} references (URLs and uploads together) with 409.
     */
    public Future<JsonObject> add(Caller caller, JsonObject brand, byte[] bytes, int maxImages) {
        String brandId = brand.getString("brand_id");
        return workers.executeBlocking(() -> prepare(bytes), false).compose(prepared -> {
            JsonArray uploads = brand.getJsonArray("reference_uploads", new JsonArray());
            boolean known = uploads.stream().anyMatch(u -> u instanceof JsonObject o && prepared.sha256().equals(o.getString("id")));
            int count = uploads.size() + brand.getJsonArray("reference_images", new JsonArray()).size();
            if (!known && count >= maxImages) {
                return Future.failedFuture(ApiException.conflict("the brand already has " + count
                        + " reference images, the most allowed (max_reference_images " + maxImages + ")"));
            }
            List<BufferedImage> batch = new ArrayList<>(1 + prepared.crops().size());
            batch.add(prepared.decoded().image());
            batch.addAll(prepared.crops());
            // An api process without an embedding worker on its event bus (the usual production
            // layout: the model lives on worker machines) stores the reference with its hashes and
            // leaves the embedding to the AI phase, which computes it once on first use.
            return embedding.embedAll(batch)
                    .recover(e -> e instanceof ReplyException ? Future.succeededFuture(List.<float[]>of())
                            : Future.failedFuture(e))
                    .compose(vectors -> objects.put(bytes).compose(stored -> {
                        JsonObject doc = signature(caller, brandId, prepared, stored.uri(), stored.contentType(), vectors);
                        JsonObject ref = new JsonObject().put("id", prepared.sha256()).put("s3_path", stored.uri());
                        return mongo.replaceDocumentsWithOptions(COLLECTION, new JsonObject().put("_id", doc.getString("_id")),
                                        doc, new UpdateOptions().setUpsert(true))
                                .compose(r -> mongo.updateCollection(Brands.BRANDS,
                                        new JsonObject().put("_id", Brands.id(caller.clientId(), brandId))
                                                .put("client_id", caller.clientId()),
                                        new JsonObject().put("$addToSet", new JsonObject().put("reference_uploads", ref))
                                                .put("$set", new JsonObject().put("updated_at", clock.millis()))))
                                .compose(r -> r.getDocMatched() == 1 ? Future.succeededFuture(r)
                                        : Future.failedFuture(ApiException.notFound("brand")))
                                .map(r -> {
                                    LOG.info("reference image stored client_id={} brand_id={} sha256={} new={}",
                                            caller.clientId(), brandId, prepared.sha256(), !known);
                                    return summary(doc).put("created", !known);
                                });
                    }));
        });
    }

    /** The client's brand's uploaded reference bytes; empty when the brand or the reference is not theirs. */
    public Future<java.util.Optional<io.vertx.core.buffer.Buffer>> bytes(String clientId, String brandId, String sha256) {
        return mongo.findOne(COLLECTION, new JsonObject().put("_id", clientId + "/" + brandId + "/" + sha256)
                        .put("client_id", clientId), new JsonObject().put("s3_path", 1))
                .compose(doc -> doc == null ? Future.succeededFuture(java.util.Optional.empty())
                        : stored(doc.getString("s3_path")));
    }

    /** Bytes at an {@code s3://bucket/key} of this API's bucket; empty for another bucket or a missing object. */
    public Future<java.util.Optional<io.vertx.core.buffer.Buffer>> stored(String s3Path) {
        String prefix = "s3://" + objects.bucket() + "/";
        if (s3Path == null || !s3Path.startsWith(prefix)) {
            return Future.succeededFuture(java.util.Optional.empty());
        }
        return objects.get(s3Path.substring(prefix.length())).map(java.util.Optional::of)
                .recover(e -> e instanceof ObjectStore.MissingObjectException
                        ? Future.succeededFuture(java.util.Optional.empty()) : Future.failedFuture(e));
    }

    /** Removes the reference from the brand and deletes its signature; false when it was not the client's brand's. */
    public Future<Boolean> remove(String clientId, String brandId, String sha256) {
        JsonObject brandQuery = new JsonObject().put("_id", Brands.id(clientId, brandId)).put("client_id", clientId);
        JsonObject pull = new JsonObject().put("$pull", new JsonObject().put("reference_uploads",
                new JsonObject().put("id", sha256))).put("$set", new JsonObject().put("updated_at", clock.millis()));
        return mongo.removeDocument(COLLECTION, new JsonObject().put("_id", clientId + "/" + brandId + "/" + sha256)
                        .put("client_id", clientId))
                .compose(removed -> mongo.updateCollection(Brands.BRANDS, brandQuery, pull)
                        .map(r -> (removed != null && removed.getRemovedCount() == 1) || r.getDocModified() == 1));
    }

    private Prepared prepare(byte[] bytes) {
        DecodedImage decoded;
        try {
            decoded = decoder.decode(bytes);
        } catch (ImageDecodeException e) {
            if (e.reason() == DecodeFailure.TOO_MANY_PIXELS) {
                throw new ApiException(413, "payload_too_large", e.getMessage(), "image", null);
            }
            throw new ApiException(415, "unsupported_media_type", "not a decodable image (JPEG, PNG, GIF or WebP): "
                    + e.getMessage(), "image", null);
        }
        return new Prepared(decoded, ReferenceViews.crops(decoded.image()), ImageFingerprint.of(decoded.image()),
                ContentKey.sha256(bytes));
    }

    private JsonObject signature(Caller caller, String brandId, Prepared p, String s3Path, String contentType,
                                 List<float[]> vectors) {
        JsonObject doc = new JsonObject()
                .put("_id", caller.clientId() + "/" + brandId + "/" + p.sha256())
                .put("client_id", caller.clientId()).put("brand_id", brandId).put("sha256", p.sha256())
                .put("s3_path", s3Path).put("content_type", contentType)
                .put("format", p.decoded().format().name().toLowerCase(java.util.Locale.ROOT))
                .put("width", p.decoded().originalWidth()).put("height", p.decoded().originalHeight())
                .put("fingerprint", p.fingerprint().toHex())
                .put("created_at", clock.millis()).put("created_by", caller.subject());
        if (!vectors.isEmpty()) {
            SignatureJson.put(doc, new ImageSignature(vectors.get(0), p.fingerprint(), vectors.subList(1, vectors.size())));
        }
        return doc;
    }

    /** The reference as the API shows it (without the vectors, which are large). */
    static JsonObject summary(JsonObject doc) {
        return new JsonObject().put("id", doc.getString("sha256")).put("brand_id", doc.getString("brand_id"))
                .put("s3_path", doc.getString("s3_path")).put("content_type", doc.getString("content_type"))
                .put("format", doc.getString("format")).put("width", doc.getInteger("width"))
                .put("height", doc.getInteger("height")).put("fingerprint", doc.getString("fingerprint"))
                .put("embedding_dimensions", doc.getJsonArray("embedding", new JsonArray()).size())
                .put("views", doc.getJsonArray("view_embeddings", new JsonArray()).size())
                .put("embedding", doc.containsKey("embedding") ? "ready" : "pending");
    }

}
