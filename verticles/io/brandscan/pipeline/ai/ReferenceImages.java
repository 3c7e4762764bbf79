package io.brandscan.pipeline.ai;

import io.brandscan.acquire.DownloadException;
import io.brandscan.acquire.DownloadedImage;
import io.brandscan.acquire.ImageDownloader;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.scoring.ImageSignature;
import io.brandscan.embedding.scoring.ImageSimilarity;
import io.brandscan.embedding.scoring.ReferenceViews;
import io.brandscan.embedding.scoring.SignatureJson;
import io.brandscan.embedding.worker.EmbeddingClient;
import io.brandscan.storage.ContentKey;
import io.brandscan.storage.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a brand snapshot's {@code reference_images} (local paths, or http(s) URLs) into the
 * reference signatures the scorer compares listings with: each image is read (a file) or fetched
 * SSRF-safely with the {@link ImageDownloader} (its allowlist comes from the {@code download}
 * configuration slice), decoded, hashed and cut into its {@link ReferenceViews} crop windows on
 * the worker pool, and the whole image plus its windows are embedded by the embedding verticle
 * through the {@link EmbeddingClient}: the same signature {@link ImageSignature#ofReference}
 * builds, done asynchronously because the embedder lives behind the event bus.
 *
 * <p>A reference that cannot be used (missing file, refused or dead URL, not an image) is left
 * out and its reason returned, so one bad reference does not stop a scan; a failure that may pass
 * (embedding verticle busy or timing out, a download timeout or 5xx) fails the preparation so the
 * message is retried rather than scored without that reference. The images are prepared one
 * after another so a brand's references never flood the embedding queue.
 */
final class ReferenceImages {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceImages.class);
    /** The API's collection of uploaded reference signatures (io.brandscan.api.ReferenceUploads). */
    static final String UPLOADED = "reference_images";

    /** The references that could be prepared, and why the others could not. */
    record Prepared(List<ImageSimilarity.Reference> references, List<String> problems) {
    }

    private record Decoded(BufferedImage image, List<BufferedImage> crops, ImageFingerprint fingerprint) {
    }

    private final Vertx vertx;
    private final WorkerExecutor workers;
    private final ImageDownloader downloader;
    private final ImageDecoder decoder;
    private final EmbeddingClient embedding;
    private final int maxImages;
    private final MongoClient mongo;
    /** Where uploaded references' bytes are, for those the API stored before any embedding; may be null. */
    private final ObjectStore objects;

    ReferenceImages(Vertx vertx, WorkerExecutor workers, ImageDownloader downloader, ImageDecoder decoder,
                    EmbeddingClient embedding, int maxImages, MongoClient mongo, ObjectStore objects) {
        this.mongo = mongo;
        this.objects = objects;
        this.vertx = vertx;
        this.workers = workers;
        this.downloader = downloader;
        this.decoder = decoder;
        this.embedding = embedding;
        this.maxImages = maxImages;
    }

    /**
     * Prepares every reference of {@code brand}; fails only when {@code reference_images} is not a
     * list of strings or longer than {@code max_reference_images} (a configuration error).
     */
    Future<Prepared> prepare(String clientId, String brandId, JsonObject brand) {
        Object value = brand.getValue("reference_images");
        List<String> sources = new ArrayList<>();
        if (value != null) {
            if (!(value instanceof JsonArray array)) {
                return Future.failedFuture(new IllegalArgumentException("reference_images must be a list"));
            }
            for (Object entry : array) {
                if (!(entry instanceof String s) || s.isBlank()) {
                    return Future.failedFuture(new IllegalArgumentException(
                            "reference_images must hold non-blank strings, got " + entry));
                }
                sources.add(s.strip());
            }
        }
        if (sources.size() > maxImages) {
            return Future.failedFuture(new IllegalArgumentException("reference_images has " + sources.size()
                    + " entries, more than max_reference_images " + maxImages));
        }
        Prepared prepared = new Prepared(new ArrayList<>(), new ArrayList<>());
        Future<Void> chain = Future.succeededFuture();
        for (String source : sources) {
            chain = chain.compose(v -> one(clientId, brandId, source)
                    .onSuccess(signature -> prepared.references().add(new ImageSimilarity.Reference(source, signature)))
                    .recover(error -> {
                        if (isTransient(error)) {
                            // Scoring without this reference would miss its copies for good (the
                            // scan completes): fail the message instead so SQS redelivers it.
                            return Future.failedFuture(error);
                        }
                        String problem = source + ": " + describe(error);
                        LOG.warn("reference image left out {}", problem);
                        prepared.problems().add(problem);
                        return Future.succeededFuture();
                    })
                    .mapEmpty());
        }
        return chain.compose(v -> uploaded(clientId, brandId, brand, prepared)).map(v -> prepared);
    }

    /**
     * The references uploaded through the API ({@code reference_uploads: [{id, s3_path}]} in the
     * snapshot): embedded and hashed once at upload, their signatures read from the
     * {@code reference_images} collection here instead of being computed again. One that is gone
     * (deleted since the scan started) is left out with its reason.
     */
    private Future<Void> uploaded(String clientId, String brandId, JsonObject brand, Prepared prepared) {
        JsonArray uploads = brand.getJsonArray("reference_uploads", new JsonArray());
        Future<Void> chain = Future.succeededFuture();
        for (Object entry : uploads) {
            if (!(entry instanceof JsonObject upload) || upload.getString("id") == null) {
                continue;
            }
            String id = clientId + "/" + brandId + "/" + upload.getString("id");
            chain = chain.compose(v -> mongo.findOne(UPLOADED, new JsonObject().put("_id", id).put("client_id", clientId),
                    null).compose(doc -> {
                        Optional<ImageSignature> stored = SignatureJson.read(doc);
                        if (stored.isPresent()) {
                            prepared.references().add(new ImageSimilarity.Reference(
                                    upload.getString("s3_path", id), stored.get()));
                            return Future.succeededFuture();
                        }
                        String key = doc == null || objects == null ? null : objectKey(doc.getString("s3_path"));
                        if (key == null) {
                            prepared.problems().add("uploaded reference " + upload.getString("id") + ": "
                                    + (doc == null ? "no longer stored" : "not embedded and its bytes are not reachable"));
                            return Future.succeededFuture();
                        }
                        // Stored by an api process without an embedding worker: embed it now, once.
                        return objects.get(key).compose(bytes -> compute(bytes.getBytes()))
                                .compose(signature -> remember(id, clientId, brandId, doc.getString("sha256"),
                                        doc.getString("s3_path"), signature).map(signature))
                                .map(signature -> {
                                    prepared.references().add(new ImageSimilarity.Reference(
                                            upload.getString("s3_path", id), signature));
                                    return (Void) null;
                                });
                    }));
        }
        return chain;
    }

    /** The key of an {@code s3://bucket/key} path in this store's bucket, or null. */
    private String objectKey(String s3Path) {
        String prefix = "s3://" + objects.bucket() + "/";
        return s3Path != null && s3Path.startsWith(prefix) ? s3Path.substring(prefix.length()) : null;
    }

    /**
     * The signature of the reference at {@code source}: its bytes are fetched (a download or a
     * file read: cheap, and it notices a changed image), then the signature is looked up by the
     * bytes' SHA-256 in the {@code reference_images} collection, where uploads live too, and
     * computed (decode, hashes, crops, embeddings) only when this client's brand has never had
     * these bytes: a brand's references are embedded and hashed once, not on every scan.
     */
    private Future<ImageSignature> one(String clientId, String brandId, String source) {
        return bytes(source).compose(data -> {
            String sha256 = ContentKey.sha256(data);
            String id = clientId + "/" + brandId + "/" + sha256;
            return mongo.findOne(UPLOADED, new JsonObject().put("_id", id).put("client_id", clientId), null)
                    .compose(doc -> SignatureJson.read(doc).isPresent()
                            ? Future.succeededFuture(SignatureJson.read(doc).get())
                            : compute(data).compose(signature -> keep(data).compose(s3Path -> remember(id, clientId,
                                    brandId, sha256, source, signature).compose(v -> s3Path == null ? Future.succeededFuture()
                                    : mongo.updateCollection(UPLOADED, new JsonObject().put("_id", id),
                                            new JsonObject().put("$set", new JsonObject().put("s3_path", s3Path)))
                                            .<Void>mapEmpty().otherwiseEmpty())
                                    .map(signature))));
        });
    }

    /** The reference's bytes in S3 under their content hash (stored once); null without a store or on failure. */
    private Future<String> keep(byte[] data) {
        if (objects == null) {
            return Future.succeededFuture();
        }
        return objects.put(data).map(stored -> stored.uri()).recover(e -> {
            LOG.warn("reference bytes not stored in S3 error={}", String.valueOf(e));
            return Future.succeededFuture();
        });
    }

    private Future<ImageSignature> compute(byte[] data) {
        return workers.executeBlocking(() -> {
                    BufferedImage image = decoder.decode(data).image();
                    return new Decoded(image, ReferenceViews.crops(image), ImageFingerprint.of(image));
                }, false)
                .compose(decoded -> {
                    List<BufferedImage> batch = new ArrayList<>(1 + decoded.crops().size());
                    batch.add(decoded.image());
                    batch.addAll(decoded.crops());
                    return embedding.embedAll(batch).map(vectors -> new ImageSignature(vectors.get(0),
                            decoded.fingerprint(), vectors.subList(1, vectors.size())));
                });
    }

    /** Stores a computed signature (merging into an upload's document if one exists); a failure only costs a recompute later. */
    private Future<Void> remember(String id, String clientId, String brandId, String sha256, String source,
                                  ImageSignature signature) {
        JsonObject set = SignatureJson.put(new JsonObject().put("client_id", clientId).put("brand_id", brandId)
                .put("sha256", sha256).put("source", source).put("embedded_at", System.currentTimeMillis()), signature);
        return mongo.updateCollectionWithOptions(UPLOADED, new JsonObject().put("_id", id),
                        new JsonObject().put("$set", set), new io.vertx.ext.mongo.UpdateOptions().setUpsert(true))
                .<Void>mapEmpty()
                .recover(e -> {
                    LOG.warn("reference signature not cached id={} error={}", id, String.valueOf(e));
                    return Future.succeededFuture();
                });
    }

    private Future<byte[]> bytes(String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return downloader.download(source).map(DownloadedImage::bytes);
        }
        long maxBytes = downloader.settings().maxBytes();
        // The same byte cap as a download: a brand pointing at a huge file cannot exhaust memory.
        return vertx.fileSystem().props(source).compose(props -> {
            if (!props.isRegularFile()) {
                return Future.failedFuture(new IllegalArgumentException("not a regular file"));
            }
            if (props.size() > maxBytes) {
                return Future.failedFuture(new IllegalArgumentException(
                        "file has " + props.size() + " bytes, over max_bytes " + maxBytes));
            }
            return vertx.fileSystem().readFile(source).map(buffer -> buffer.getBytes());
        });
    }

    /**
     * True for a failure that may pass: the embedding verticle busy, stopping or timing out (any
     * event-bus reply failure), or a download failure the downloader calls retryable (timeout,
     * 5xx). Missing files, refused or dead URLs and undecodable bytes are permanent.
     */
    static boolean isTransient(Throwable error) {
        return error instanceof ReplyException
                || (error instanceof DownloadException download && download.retryable());
    }

    static String describe(Throwable error) {
        return Objects.toString(error.getMessage(), error.getClass().getSimpleName());
    }
}
