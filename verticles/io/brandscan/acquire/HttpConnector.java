package io.brandscan.acquire;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link Connector}: a Vert.x HTTP client that connects to the checked address
 * itself ({@link RequestOptions#setServer}, an already resolved socket address, so no second
 * lookup), sends the URL's host as Host header and TLS server name, never follows redirects on
 * its own, never decompresses (a small gzip body could expand past {@code max_bytes}) and uses
 * no proxy.
 */
public final class HttpConnector implements Connector {
    private final HttpClient client;

    /** A connector that trusts the JVM's default certificate authorities. */
    public HttpConnector(Vertx vertx, DownloadSettings settings) {
        this(vertx, settings, null);
    }

    /**
     * A connector that trusts {@code trust} instead of the JVM's default authorities (a private
     * CA, or a test certificate). Host names are verified against the certificate either way.
     */
    public HttpConnector(Vertx vertx, DownloadSettings settings, TrustOptions trust) {
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutMs()))
                .setDecompressionSupported(false)
                .setVerifyHost(true)
                .setForceSni(true)
                .setKeepAlive(true);
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        // Certificates are checked against the URL's host name (sent as SNI), not the address we
        // connect to: that is what keeps TLS meaningful while the connection is pinned to an IP.
        options.setSslHandshakeTimeout(settings.connectTimeoutMs()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        options.getSslOptions().setHostnameVerificationAlgorithm("HTTPS");
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(settings.maxConnections())
                .setMaxWaitQueueSize(settings.maxQueuedRequests());
        this.client = vertx.createHttpClient(options, pool);
    }

    @Override
    public Future<HttpClientResponse> send(HopRequest hop) {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(hop.address(), hop.port())))
                .setHost(hop.serverName())
                .setPort(hop.port())
                .setSsl(hop.tls())
                .setURI(hop.requestUri())
                .setFollowRedirects(false)
                .setConnectTimeout(hop.connectTimeoutMs())
                .setIdleTimeout(hop.idleTimeoutMs())
                .putHeader(HttpHeaders.HOST, hop.hostHeader())
                .putHeader(HttpHeaders.USER_AGENT, hop.userAgent())
                .putHeader(HttpHeaders.ACCEPT, "image/avif,image/webp,image/png,image/jpeg,image/gif,image/*;q=0.8")
                .putHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
        // Paused in the same tick the head arrives, so no body chunk is lost before the
        // downloader installs its handlers (it resumes the stream when it wants the body).
        return client.request(request).compose(req -> req.send().map(response -> {
            response.pause();
            return response;
        }));
    }

    @Override
    public Future<Void> close() {
        return client.close();
    }
}
