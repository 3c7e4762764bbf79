package io.brandscan.acquire;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;

/**
 * The only way the downloader reaches the network: send one GET to the already checked address
 * of a {@link HopRequest} and hand back the response paused, its body not yet read (the
 * downloader resumes it once its byte-counting handlers are in place). Keeping this
 * narrow lets tests substitute a connector that records every address it is asked for and
 * refuses anything but loopback, proving refused URLs are never connected to.
 */
public interface Connector {
    Future<HttpClientResponse> send(HopRequest request);

    /** Releases connections; the default has nothing to release. */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
