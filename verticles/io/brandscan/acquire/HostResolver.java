package io.brandscan.acquire;

import io.vertx.core.Future;

import java.net.InetAddress;
import java.util.List;

/**
 * Turns a host name into every address it has. The downloader checks all of them and then
 * connects to one of exactly those, so a resolver is asked once per hop and never again for
 * the same connection (no window for DNS rebinding). Tests substitute a fixed table.
 */
@FunctionalInterface
public interface HostResolver {
    /** Every address of {@code host}; fails (or returns an empty list) when there is none. */
    Future<List<InetAddress>> resolve(String host);
}
