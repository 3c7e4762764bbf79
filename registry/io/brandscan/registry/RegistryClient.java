package io.brandscan.registry;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * How workers talk to the registry over HTTP. Every call has a timeout; calls that could not
 * reach the registry (refused, reset before an answer, name not resolved) are retried with
 * exponential backoff and jitter. Answers are never retried: a 4xx or 5xx is the registry's
 * word and comes back as a {@link RegistryClientException} with the error code it sent. Every
 * operation is safe to repeat, so a retry after a lost answer cannot count a url twice.
 */
public final class RegistryClient {
    private final Vertx vertx;
    private final Settings settings;
    private final HttpClientAgent http;
    /** Where calls from plain threads run (see {@link #withRetries}). */
    private final Context home;

    /**
     * Where the registry is and how patient to be.
     *
     * @param timeoutMillis  per attempt, from connecting to the whole answer
     * @param maxAttempts    attempts for a call that cannot reach the registry
     * @param backoffMillis  first retry delay, doubled each time up to {@code maxBackoffMillis}
     */
    public record Settings(String host, int port, long timeoutMillis, int maxAttempts, long backoffMillis,
                           long maxBackoffMillis, int maxConnections) {
        public static Settings fromJson(JsonObject c) {
            return new Settings(c.getString("host", "127.0.0.1"), c.getInteger("port", RegistrySettings.DEFAULT_PORT),
                    c.getLong("timeout_ms", 10_000L), c.getInteger("max_attempts", 6), c.getLong("backoff_ms", 100L),
                    c.getLong("max_backoff_ms", 5_000L), c.getInteger("max_connections", 32));
        }

        public static Settings local(int port) {
            return fromJson(new JsonObject().put("port", port));
        }
    }

    /** The registry's answer to a submit, fail or claim. {@code lease} is set when granted. */
    public record CommitReply(boolean shouldCommit, boolean duplicate, int completed, int failed, int expected,
                              String lease, Long leaseExpiresAt) {
        static CommitReply fromJson(JsonObject json) {
            return new CommitReply(json.getBoolean("should_commit"), json.getBoolean("duplicate", false),
                    json.getInteger("completed", 0), json.getInteger("failed", 0), json.getInteger("expected", 0),
                    json.getString("lease"), json.getLong("lease_expires_at"));
        }
    }

    public RegistryClient(Vertx vertx, Settings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.home = vertx.getOrCreateContext();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setDefaultHost(settings.host())
                        .setDefaultPort(settings.port())
                        .setKeepAlive(true)
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeoutMillis())),
                new PoolOptions().setHttp1MaxSize(settings.maxConnections()));
    }

    public Settings settings() {
        return settings;
    }

    public Future<Void> start(String brand, int expectedCount) {
        return post("/start", new JsonObject().put("brand", brand).put("expected_count", expectedCount)).mapEmpty();
    }

    public Future<CommitReply> submit(String brand, JsonObject result) {
        return post("/submit", new JsonObject().put("brand", brand).put("result", result)).map(RegistryClient::reply);
    }

    public Future<CommitReply> fail(String brand, String url, String error) {
        return post("/fail", new JsonObject().put("brand", brand).put("url", url).put("error", error))
                .map(RegistryClient::reply);
    }

    public Future<CommitReply> claimCommit(String brand) {
        return post("/claim-commit", new JsonObject().put("brand", brand)).map(RegistryClient::reply);
    }

    /** Reports the commit done; with the lease token, a worker that lost its lease gets 409 lease_lost. */
    public Future<Void> commitComplete(String brand, String lease) {
        JsonObject body = new JsonObject().put("brand", brand);
        if (lease != null) {
            body.put("lease", lease);
        }
        return post("/commit-complete", body).mapEmpty();
    }

    /**
     * Gives back a commit lease this worker still holds but will not use (it is stopping), so
     * another worker's {@code /claim-commit} is granted at once rather than after the lease
     * expires. Fails with 409 ({@code lease_lost} or {@code commit_not_granted}) when the lease is
     * not the live one, and 404 when the batch is gone (committed meanwhile).
     */
    public Future<Void> releaseLease(String brand, String lease) {
        return post("/release-lease", new JsonObject().put("brand", brand).put("lease", lease)).mapEmpty();
    }

    /**
     * A page of the batch's stored results: from {@code offset} (arrival order), at most
     * {@code limit} (1 to 10000); fewer than {@code limit} means the last page. A page is still
     * large (500 results of 1,280 floats is about 6.5 MB of JSON), so it is parsed on a worker
     * thread, never on the caller's event loop.
     */
    public Future<JsonArray> results(String brand, int offset, int limit) {
        return get("/results/" + encode(brand) + "?offset=" + offset + "&limit=" + limit)
                .compose(payload -> vertx.executeBlocking(() -> array(payload), false));
    }

    public Future<JsonArray> failures(String brand) {
        return get("/failures/" + encode(brand)).map(RegistryClient::array);
    }

    public Future<JsonObject> status(String brand) {
        return get("/status/" + encode(brand)).map(Buffer::toJsonObject);
    }

    /** One page of the active batches, in key order after {@code after} (null: from the start): {@code batches}, {@code next_after}. */
    public Future<JsonObject> batches(String after, int limit) {
        String query = "?limit=" + limit + (after == null ? "" : "&after=" + encode(after));
        return get("/brands" + query).map(Buffer::toJsonObject);
    }

    public Future<JsonObject> health() {
        return get("/health").map(Buffer::toJsonObject);
    }

    public Future<Void> close() {
        return http.close();
    }

    private Future<Buffer> post(String path, JsonObject body) {
        Buffer encoded = body.toBuffer();
        return withRetries(() -> exchange(HttpMethod.POST, path, encoded));
    }

    private Future<Buffer> get(String path) {
        return withRetries(() -> exchange(HttpMethod.GET, path, null));
    }

    private Future<Buffer> exchange(HttpMethod method, String path, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method).setURI(path)
                .setIdleTimeout(settings.timeoutMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        return http.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().compose(payload -> {
                    if (response.statusCode() == 200) {
                        return Future.succeededFuture(payload);
                    }
                    return Future.failedFuture(RegistryClientException.fromAnswer(response.statusCode(), payload));
                }));
    }

    private Future<Buffer> withRetries(Supplier<Future<Buffer>> attempt) {
        Promise<Buffer> promise = Promise.promise();
        if (Context.isOnVertxThread()) {
            tryOnce(attempt, 1, settings.backoffMillis(), promise);
        } else {
            // Vert.x 5.0.10's pooled client, called straight from a plain thread, now and then
            // never completed a request on an idle keep-alive connection: start every such call
            // on a Vert.x context instead.
            home.runOnContext(v -> tryOnce(attempt, 1, settings.backoffMillis(), promise));
        }
        return promise.future();
    }

    private void tryOnce(Supplier<Future<Buffer>> attempt, int n, long backoff, Promise<Buffer> promise) {
        attempt.get().onComplete(ar -> {
            if (ar.succeeded()) {
                promise.complete(ar.result());
            } else if (n < settings.maxAttempts() && isConnectionError(ar.cause())) {
                long delay = Math.max(1, backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                vertx.setTimer(delay, id -> tryOnce(attempt, n + 1, Math.min(backoff * 2, settings.maxBackoffMillis()), promise));
            } else {
                promise.fail(ar.cause());
            }
        });
    }

    /** Failures where the registry cannot have answered, so trying again is the right move. */
    static boolean isConnectionError(Throwable t) {
        return t instanceof ConnectException
                || t instanceof HttpClosedException
                || t instanceof NoRouteToHostException
                || t instanceof UnknownHostException
                || t instanceof io.netty.channel.ConnectTimeoutException;
    }

    private static CommitReply reply(Buffer payload) {
        return CommitReply.fromJson(payload.toJsonObject());
    }

    private static JsonArray array(Buffer payload) {
        return payload.toJsonArray();
    }

    private static String encode(String brand) {
        return URLEncoder.encode(brand, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A refusal from the registry: its HTTP status, error code and message. */
    public static final class RegistryClientException extends RuntimeException {
        private final int status;
        private final RegistryError error;

        public RegistryClientException(int status, RegistryError error, String message) {
            super(status + " " + error.code() + ": " + message, null, false, false);
            this.status = status;
            this.error = error;
        }

        static RegistryClientException fromAnswer(int status, Buffer payload) {
            try {
                JsonObject body = payload.toJsonObject();
                return new RegistryClientException(status, RegistryError.ofCode(body.getString("error", "")),
                        body.getString("message", ""));
            } catch (DecodeException | ClassCastException e) {
                return new RegistryClientException(status, RegistryError.INTERNAL, payload.toString());
            }
        }

        public int status() {
            return status;
        }

        public RegistryError error() {
            return error;
        }
    }

}
