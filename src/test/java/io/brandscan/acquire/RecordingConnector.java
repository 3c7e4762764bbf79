package io.brandscan.acquire;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The test connector that makes the no-connection claim checkable: it records every hop it is
 * asked to send and passes only loopback ones to the real {@link HttpConnector}. Anything else
 * fails here, before a socket exists, so no test can send a packet off this machine even when
 * the downloader under test is wrong.
 */
final class RecordingConnector implements Connector {
    private final Connector loopbackOnly;
    private final List<HopRequest> attempts = new CopyOnWriteArrayList<>();
    private final List<HopRequest> refused = new CopyOnWriteArrayList<>();

    RecordingConnector(Connector real) {
        this.loopbackOnly = real;
    }

    @Override
    public Future<HttpClientResponse> send(HopRequest request) {
        attempts.add(request);
        // Plain IPv4/IPv6 loopback only; an IPv4-mapped ::ffff:127.0.0.1 is refused too (safe side).
        if (!request.address().isLoopbackAddress()) {
            refused.add(request);
            return Future.failedFuture(new IllegalStateException(
                    "test connector refuses to connect to non-loopback " + request.address() + ":" + request.port()));
        }
        return loopbackOnly.send(request);
    }

    /** Every hop the downloader asked for, in order. */
    List<HopRequest> attempts() {
        return List.copyOf(attempts);
    }

    /** The hops that would have left loopback (and were not sent). */
    List<HopRequest> refused() {
        return List.copyOf(refused);
    }

    @Override
    public Future<Void> close() {
        return loopbackOnly.close();
    }
}
