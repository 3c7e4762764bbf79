package io.brandscan.acquire;

import io.brandscan.embedding.image.ImageDecodeException;
import io.brandscan.embedding.image.ImageFormat;
import io.brandscan.ops.Meters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Downloads listing images without letting a URL reach inside our network (DESIGN.md, pipeline
 * rules). For every hop it resolves the host once with the {@link HostResolver}, has the
 * {@link UrlPolicy} check every address, and connects through the {@link Connector} to exactly
 * one of the checked addresses (the first, then the next only if it cannot be reached); redirects
 * are followed here, each one re-resolved and re-checked.
 * Bytes, total time, connect time and redirects are capped; the body must be JPEG, PNG, GIF or
 * WebP by its magic bytes. Non-blocking: call from any Vert.x context.
 *
 * <p>A failed download fails the future with a {@link DownloadException} whose
 * {@link DownloadException#retryable()} says whether to retry the URL later or record it with
 * {@code /fail}.
 */
public final class ImageDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDownloader.class);
    /** Bytes needed to recognise every supported format (WebP's RIFF....WEBP is the longest). */
    private static final int SNIFF_BYTES = 12;
    /** Checked addresses tried per hop before giving up: DNS answers can be long, time is not. */
    private static final int MAX_ADDRESSES_TRIED = 4;

    private final Vertx vertx;
    private final DownloadSettings settings;
    private final UrlPolicy policy;
    private final HostResolver resolver;
    private final Connector connector;

    public ImageDownloader(Vertx vertx, DownloadSettings settings, HostResolver resolver, Connector connector) {
        this.vertx = vertx;
        this.settings = settings;
        this.policy = UrlPolicy.fromEntries(settings.allow());
        this.resolver = resolver;
        this.connector = connector;
    }

    /** The production downloader: the JVM resolver on a worker thread and a Vert.x HTTP client. */
    public static ImageDownloader create(Vertx vertx, DownloadSettings settings) {
        return new ImageDownloader(vertx, settings, new SystemHostResolver(vertx), new HttpConnector(vertx, settings));
    }

    public DownloadSettings settings() {
        return settings;
    }

    /** Downloads one image; see the class comment for what can fail and how. */
    public Future<DownloadedImage> download(String url) {
        Attempt attempt = new Attempt(url);
        attempt.timer = vertx.setTimer(settings.timeoutMs(), id -> attempt.fail(new DownloadException(DownloadFailure.TIMEOUT,
                "download did not finish within " + settings.timeoutMs() + " ms", attempt.currentUrl)));
        hop(attempt, url, null);
        return attempt.result.future().onComplete(done -> Meters.registry().counter("brandscan.downloads", "outcome",
                done.succeeded() ? "ok" : done.cause() instanceof DownloadException e
                        ? e.reason().name().toLowerCase(java.util.Locale.ROOT) : "error").increment());
    }

    public Future<Void> close() {
        return connector.close();
    }

    private void hop(Attempt attempt, String url, URI base) {
        if (attempt.result.future().isComplete()) {
            return; // timed out while the previous hop was finishing
        }
        TargetUrl target;
        try {
            target = base == null ? TargetUrl.parse(url) : TargetUrl.parse(base.resolve(url.strip()).toString());
        } catch (IllegalArgumentException e) {
            String what = base == null ? "URL" : "redirect Location '" + url + "'";
            attempt.fail(new DownloadException(DownloadFailure.BAD_URL, what + " refused: " + e.getMessage(), base));
            return;
        }
        attempt.currentUrl = target.uri();
        resolve(target)
                .compose(addresses -> connect(attempt, target, addresses))
                .onSuccess(response -> handleResponse(attempt, target, response))
                .onFailure(attempt::fail);
    }

    private Future<List<InetAddress>> resolve(TargetUrl target) {
        if (!target.needsResolution()) {
            return Future.succeededFuture(List.of(target.literal()));
        }
        Future<List<InetAddress>> lookup;
        try {
            lookup = resolver.resolve(target.host());
        } catch (RuntimeException e) {
            lookup = Future.failedFuture(e);
        }
        return lookup.transform(ar -> {
            if (ar.failed() || ar.result() == null || ar.result().isEmpty()) {
                String why = ar.failed() ? describe(ar.cause()) : "no addresses";
                return Future.failedFuture(new DownloadException(DownloadFailure.DNS_FAILURE,
                        "could not resolve " + target.host() + ": " + why, target.uri()));
            }
            return Future.succeededFuture(ar.result());
        });
    }

    private Future<HttpClientResponse> connect(Attempt attempt, TargetUrl target, List<InetAddress> addresses) {
        PolicyDecision decision = policy.check(target, addresses);
        if (!decision.allowed()) {
            LOG.info("refused url={} reason={}", target.uri(), decision.reason());
            return Future.failedFuture(new DownloadException(decision.refusal(), decision.reason(), target.uri()));
        }
        return sendTo(attempt, target, decision.addresses(), 0);
    }

    /**
     * Sends the hop to the {@code index}-th checked address; when that address cannot be reached
     * (an IPv6 answer on an IPv4-only host, one dead server of several), tries the next checked
     * one. Never anything that was not in the decision: the list is the policy's, not a new lookup.
     */
    private Future<HttpClientResponse> sendTo(Attempt attempt, TargetUrl target, List<InetAddress> addresses, int index) {
        long remaining = Math.max(1, attempt.deadlineMs - System.currentTimeMillis());
        InetAddress address = addresses.get(index);
        attempt.currentAddress = address;
        HopRequest hop = new HopRequest(address, target.port(), target.tls(), target.hostHeader(), target.host(),
                target.requestUri(), settings.userAgent(), Math.min(settings.connectTimeoutMs(), remaining), remaining);
        Future<HttpClientResponse> sent;
        try {
            sent = connector.send(hop);
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        return sent.recover(e -> {
            DownloadException failure = connectionFailure(e, target);
            boolean another = index + 1 < Math.min(addresses.size(), MAX_ADDRESSES_TRIED);
            if (failure.reason() == DownloadFailure.CONNECTION_FAILED && another && !attempt.result.future().isComplete()) {
                LOG.debug("address {} of {} unreachable ({}), trying the next checked one", address, target.host(),
                        failure.getMessage());
                return sendTo(attempt, target, addresses, index + 1);
            }
            return Future.failedFuture(failure);
        });
    }

    private void handleResponse(Attempt attempt, TargetUrl target, HttpClientResponse response) {
        if (attempt.result.future().isComplete()) {
            discard(response); // the download already timed out: drop the connection
            return;
        }
        attempt.current = response;
        if (attempt.result.future().isComplete()) {
            discard(response); // the timer fired between the check above and taking hold of the response
            return;
        }
        int status = response.statusCode();
        attempt.hops.add(new Hop(target.uri(), attempt.currentAddress, status));
        if (isRedirect(status)) {
            String location = response.getHeader(HttpHeaders.LOCATION);
            discard(response);
            if (location == null || location.isBlank()) {
                attempt.fail(new DownloadException(DownloadFailure.HTTP_STATUS,
                        "redirect " + status + " without a Location header", target.uri(), status));
            } else if (attempt.hops.size() > settings.maxRedirects()) {
                attempt.fail(new DownloadException(DownloadFailure.TOO_MANY_REDIRECTS,
                        "more than " + settings.maxRedirects() + " redirects (next: " + location + ")", target.uri()));
            } else {
                hop(attempt, location, target.uri());
            }
            return;
        }
        if (status < 200 || status > 299) {
            discard(response);
            attempt.fail(new DownloadException(DownloadFailure.HTTP_STATUS,
                    "server answered " + status + " " + response.statusMessage(), target.uri(), status));
            return;
        }
        readBody(attempt, target, response);
    }

    private void readBody(Attempt attempt, TargetUrl target, HttpClientResponse response) {
        long max = settings.maxBytes();
        String declared = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        long declaredLength = parseLength(declared);
        if (declaredLength > max) {
            discard(response);
            attempt.fail(new DownloadException(DownloadFailure.TOO_LARGE,
                    "Content-Length " + declaredLength + " exceeds max_bytes " + max, target.uri()));
            return;
        }
        // Never pre-allocate what the server merely claims beyond a modest size.
        Buffer body = Buffer.buffer((int) Math.min(declaredLength > 0 ? declaredLength : 64 * 1024, 1024 * 1024));
        boolean[] sniffed = {false};
        response.exceptionHandler(e -> attempt.fail(connectionFailure(e, target)));
        response.handler(chunk -> {
            if (attempt.result.future().isComplete()) {
                return;
            }
            if ((long) body.length() + chunk.length() > max) {
                discard(response);
                attempt.fail(new DownloadException(DownloadFailure.TOO_LARGE,
                        "body exceeds max_bytes " + max + " (stream aborted)", target.uri()));
                return;
            }
            body.appendBuffer(chunk);
            if (!sniffed[0] && body.length() >= SNIFF_BYTES) {
                sniffed[0] = true;
                // Stop an HTML error page or a video after its first bytes instead of after max_bytes.
                DownloadException notImage = notAnImage(body.getBytes(0, SNIFF_BYTES), response, target);
                if (notImage != null) {
                    discard(response);
                    attempt.fail(notImage);
                }
            }
        });
        response.endHandler(v -> {
            if (attempt.result.future().isComplete()) {
                return;
            }
            byte[] bytes = body.getBytes();
            DownloadException notImage = notAnImage(bytes, response, target);
            if (notImage != null) {
                attempt.fail(notImage);
                return;
            }
            attempt.succeed(new DownloadedImage(bytes, target.uri(), response.getHeader(HttpHeaders.CONTENT_TYPE),
                    ImageFormat.sniff(bytes), attempt.hops));
        });
        response.resume();
    }

    private static DownloadException notAnImage(byte[] head, HttpClientResponse response, TargetUrl target) {
        try {
            ImageFormat.sniff(head);
            return null;
        } catch (ImageDecodeException e) {
            String claimed = response.getHeader(HttpHeaders.CONTENT_TYPE);
            return new DownloadException(DownloadFailure.NOT_AN_IMAGE, e.getMessage()
                    + (claimed == null ? "" : " (Content-Type claimed " + claimed + ")"), target.uri());
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static long parseLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Closes the exchange without reading the rest: a redirect's or error page's body is not ours
     * to buffer, and an aborted image must stop arriving at once.
     */
    private static void discard(HttpClientResponse response) {
        try {
            response.handler(null);
            response.exceptionHandler(ignored -> { }); // the reset we cause is not an error worth logging
        } catch (IllegalStateException ended) {
            return; // the body is complete: nothing is left to stop
        }
        response.request().reset();
    }

    private static DownloadException connectionFailure(Throwable e, TargetUrl target) {
        if (e instanceof DownloadException d) {
            return d;
        }
        if (isTimeout(e)) {
            return new DownloadException(DownloadFailure.TIMEOUT, "timed out talking to " + target.hostHeader()
                    + ": " + describe(e), target.uri());
        }
        if (e instanceof UnknownHostException) {
            return new DownloadException(DownloadFailure.DNS_FAILURE, describe(e), target.uri());
        }
        return new DownloadException(DownloadFailure.CONNECTION_FAILED, "could not fetch from " + target.hostHeader()
                + ": " + describe(e), target.uri());
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
                    || name.contains("Timeout") || (t instanceof ConnectException && String.valueOf(t.getMessage()).contains("timed out"))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The state of one download: its result, its deadline, and the response to drop on timeout. */
    private final class Attempt {
        final Promise<DownloadedImage> result = Promise.promise();
        final List<Hop> hops = new ArrayList<>();
        final long deadlineMs = System.currentTimeMillis() + settings.timeoutMs();
        final String originalUrl;
        volatile URI currentUrl;
        volatile InetAddress currentAddress;
        volatile HttpClientResponse current;
        volatile long timer = -1;

        Attempt(String originalUrl) {
            this.originalUrl = originalUrl;
        }

        void fail(Throwable cause) {
            DownloadException failure = cause instanceof DownloadException d ? d
                    : new DownloadException(DownloadFailure.CONNECTION_FAILED, describe(cause), currentUrl);
            if (result.tryFail(failure)) {
                vertx.cancelTimer(timer);
                HttpClientResponse response = current;
                if (response != null) {
                    discard(response); // a timeout mid-body must also stop the stream
                }
                LOG.debug("download failed url={} reason={} message={}", originalUrl, failure.reason(), failure.getMessage());
            }
        }

        void succeed(DownloadedImage image) {
            if (result.tryComplete(image)) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
