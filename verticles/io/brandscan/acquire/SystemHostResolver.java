package io.brandscan.acquire;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.InetAddress;
import java.util.List;

/**
 * Resolves names with the JVM's resolver (hosts file, then DNS) on a worker thread, because
 * {@link InetAddress#getAllByName} blocks. Only names reach it: address literals in URLs are
 * parsed by {@link HostLiteral} first, so nothing here ever interprets {@code 0x7f.1}.
 */
public final class SystemHostResolver implements HostResolver {
    private final Vertx vertx;

    public SystemHostResolver(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Future<List<InetAddress>> resolve(String host) {
        return vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false);
    }
}
