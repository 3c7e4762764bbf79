package io.brandscan.storage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * Content-addressed image storage on S3: owns the process's {@link S3AsyncClient} for one
 * bucket. Bytes are stored under their SHA-256 ({@link ContentKey}), so storing the same image
 * twice uploads it once. Every call returns a Vert.x Future completed on the caller's context;
 * hashing runs on a worker thread, never on the event loop.
 */
public final class ObjectStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStore.class);

    private final Vertx vertx;
    private final StorageSettings settings;
    private final S3AsyncClient client;

    private ObjectStore(Vertx vertx, StorageSettings settings, S3AsyncClient client) {
        this.vertx = vertx;
        this.settings = settings;
        this.client = client;
    }

    /** Builds the client and, when {@code create_bucket} is set, creates the bucket (idempotent). */
    public static Future<ObjectStore> open(Vertx vertx, StorageSettings settings) {
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .forcePathStyle(settings.pathStyle())
                // Only checksum when S3 requires it: S3-compatible servers differ in how well they
                // take the SDK's default trailing CRC checksums on every request.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(settings.maxConnections())
                        .connectionTimeout(Duration.ofSeconds(5))
                        .readTimeout(Duration.ofSeconds(60))
                        .eventLoopGroupBuilder(SdkEventLoopGroup.builder().numberOfThreads(settings.ioThreads())));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        ObjectStore store = new ObjectStore(vertx, settings, builder.build());
        if (!settings.createBucket()) {
            return Future.succeededFuture(store);
        }
        return store.createBucket().map(store).onFailure(e -> store.close());
    }

    public static Future<ObjectStore> open(Vertx vertx, JsonObject s3Conf) {
        return open(vertx, StorageSettings.fromJson(s3Conf));
    }

    public String bucket() {
        return settings.bucket();
    }

    private Future<Void> createBucket() {
        return Future.fromCompletionStage(client.createBucket(r -> r.bucket(settings.bucket())), context())
                .<Void>mapEmpty()
                .recover(e -> {
                    Throwable cause = unwrap(e);
                    if (cause instanceof BucketAlreadyOwnedByYouException || cause instanceof BucketAlreadyExistsException) {
                        return Future.succeededFuture();
                    }
                    return Future.failedFuture(cause);
                })
                .onSuccess(v -> LOG.info("bucket ready bucket={}", settings.bucket()));
    }

    /**
     * Stores bytes under their content-hash key, skipping the upload when that key already
     * exists. Fails with IllegalArgumentException for empty or oversized content.
     */
    public Future<StoredObject> put(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Future.failedFuture(new IllegalArgumentException("nothing to store: empty content"));
        }
        if (bytes.length > settings.maxObjectBytes()) {
            return Future.failedFuture(new IllegalArgumentException(
                    "content of " + bytes.length + " bytes exceeds max_object_bytes " + settings.maxObjectBytes()));
        }
        Context context = context();
        return vertx.executeBlocking(() -> ContentKey.of(settings.keyPrefix(), bytes), false)
                .compose(key -> exists(key.key()).compose(present -> {
                    if (present) {
                        return Future.succeededFuture(stored(key, false));
                    }
                    return Future.fromCompletionStage(client.putObject(r -> r
                                            .bucket(settings.bucket())
                                            .key(key.key())
                                            .contentType(key.type().mime())
                                            .contentLength((long) bytes.length),
                                    AsyncRequestBody.fromBytes(bytes)), context)
                            .map(r -> stored(key, true));
                }));
    }

    private StoredObject stored(ContentKey key, boolean uploaded) {
        return new StoredObject(settings.bucket(), key.key(), key.sha256(), key.type().mime(), key.size(), uploaded);
    }

    /** The object's bytes; fails with {@link MissingObjectException} when there is no such key. */
    public Future<Buffer> get(String key) {
        return Future.fromCompletionStage(client.getObject(r -> r.bucket(settings.bucket()).key(key),
                        AsyncResponseTransformer.toBytes()), context())
                .map(r -> Buffer.buffer(r.asByteArrayUnsafe()))
                .recover(e -> Future.failedFuture(isMissing(e) ? new MissingObjectException(uri(key)) : unwrap(e)));
    }

    /** Whether an object exists under this key (a HEAD request). */
    public Future<Boolean> exists(String key) {
        return Future.fromCompletionStage(client.headObject(r -> r.bucket(settings.bucket()).key(key)), context())
                .map(r -> true)
                .recover(e -> isMissing(e) ? Future.succeededFuture(false) : Future.failedFuture(unwrap(e)));
    }

    /** {@code s3://bucket/key}. */
    public String uri(String key) {
        return "s3://" + settings.bucket() + "/" + key;
    }

    private Context context() {
        return vertx.getOrCreateContext();
    }

    private static boolean isMissing(Throwable e) {
        Throwable cause = unwrap(e);
        return cause instanceof NoSuchKeyException
                || (cause instanceof S3Exception s3 && s3.statusCode() == 404);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Override
    public void close() {
        client.close();
    }

    /** Asked for a key that is not in the bucket. */
    public static final class MissingObjectException extends RuntimeException {
        public MissingObjectException(String uri) {
            super("no such object: " + uri);
        }
    }
}
