package io.brandscan.gather;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One GET with every bound a provider needs: a connect timeout, a total deadline, a byte cap
 * checked against Content-Length before reading and again while streaming, and no automatic
 * redirects (the caller decides, because each hop must pass the URL guard). Transport faults
 * come back as {@link ProviderError#UNAVAILABLE}, an oversized body as
 * {@link ProviderError#TOO_LARGE}; any HTTP status is a normal {@link Reply}.
 */
public final class BoundedHttpGet {
    /** What came back; {@code retryAfter} and {@code location} are the raw header values or null. */
    public record Reply(URI uri, int status, Buffer body, String retryAfter, String location) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean redirect() {
            return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final String provider;
    private final long connectTimeoutMs;

    public BoundedHttpGet(Vertx vertx, HttpClient client, String provider, long connectTimeoutMs) {
        this.vertx = vertx;
        this.client = client;
        this.provider = provider;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /**
     * Runs {@code work} on a Vert.x context: the caller's, or a fresh one when called from a plain
     * thread. Without a context, the callback that attaches the body handlers could run on the
     * calling thread after the event loop had already delivered (and dropped) a short body.
     */
    public static <T> Future<T> onContext(Vertx vertx, Supplier<Future<T>> work) {
        if (Vertx.currentContext() != null) {
            return work.get();
        }
        Context context = vertx.getOrCreateContext();
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> work.get().onComplete(promise));
        return promise.future();
    }

    public Future<Reply> get(URI uri, long timeoutMs, long maxBytes) {
        return onContext(vertx, () -> send(uri, timeoutMs, maxBytes));
    }

    private Future<Reply> send(URI uri, long timeoutMs, long maxBytes) {
        Promise<Reply> promise = Promise.promise();
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        long deadline = vertx.setTimer(timeoutMs, id -> {
            if (promise.tryFail(new ProviderException(provider, ProviderError.UNAVAILABLE,
                    "no complete answer from " + redacted(uri) + " within " + timeoutMs + " ms"))) {
                abort(request.get());
            }
        });
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(uri.toString())
                .setConnectTimeout(connectTimeoutMs)
                .setIdleTimeout(timeoutMs)
                .setFollowRedirects(false)
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        client.request(options)
                .compose(req -> {
                    request.set(req);
                    return req.send();
                })
                .onFailure(e -> promise.tryFail(new ProviderException(provider, ProviderError.UNAVAILABLE,
                        "request to " + redacted(uri) + " failed: " + e.getMessage(), e)))
                .onSuccess(response -> {
                    // set first: aborting an oversized answer resets the stream, which reports here
                    response.exceptionHandler(e -> promise.tryFail(new ProviderException(provider,
                            ProviderError.UNAVAILABLE, "reading " + redacted(uri) + " failed: " + e.getMessage(), e)));
                    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (length != null && parseLong(length) > maxBytes) {
                        tooLarge(promise, uri, maxBytes, request.get());
                        return;
                    }
                    Buffer body = Buffer.buffer();
                    response.handler(chunk -> {
                        if (promise.future().isComplete()) {
                            return;
                        }
                        if ((long) body.length() + chunk.length() > maxBytes) {
                            tooLarge(promise, uri, maxBytes, request.get());
                        } else {
                            body.appendBuffer(chunk);
                        }
                    });
                    response.endHandler(v -> promise.tryComplete(new Reply(uri, response.statusCode(), body,
                            response.getHeader(HttpHeaders.RETRY_AFTER), response.getHeader(HttpHeaders.LOCATION))));
                });
        return promise.future().onComplete(done -> vertx.cancelTimer(deadline));
    }

    private void tooLarge(Promise<Reply> promise, URI uri, long maxBytes, HttpClientRequest request) {
        if (promise.tryFail(new ProviderException(provider, ProviderError.TOO_LARGE,
                "answer from " + redacted(uri) + " is larger than " + maxBytes + " bytes"))) {
            abort(request);
        }
    }

    /** Resetting closes an HTTP/1 connection, so an oversized or late body stops costing bandwidth. */
    private static void abort(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The URI without its query: ScraperAPI carries the API key there and errors end up in logs. */
    static String redacted(URI uri) {
        String query = uri.getRawQuery();
        if (query == null || !query.contains("api_key=")) {
            return uri.toString();
        }
        return uri.toString().replaceAll("api_key=[^&]*", "api_key=***");
    }
}
