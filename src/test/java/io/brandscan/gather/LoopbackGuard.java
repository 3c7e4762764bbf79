package io.brandscan.gather;

import io.vertx.core.Future;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Test stand-in for the real URL policy: allows 127.0.0.1 only, and refuses any URL a test
 * names. Records what it refused so tests can tie a refusal to zero server hits.
 */
final class LoopbackGuard implements FeedUrlGuard {
    private final Predicate<URI> refuse;
    final Set<URI> refused = ConcurrentHashMap.newKeySet();

    LoopbackGuard(Predicate<URI> refuse) {
        this.refuse = refuse;
    }

    static LoopbackGuard allowLoopback() {
        return new LoopbackGuard(uri -> false);
    }

    @Override
    public Future<Void> check(URI uri) {
        if (!"127.0.0.1".equals(uri.getHost()) || refuse.test(uri)) {
            refused.add(uri);
            return Future.failedFuture("address not allowed: " + uri.getHost());
        }
        return Future.succeededFuture();
    }
}
