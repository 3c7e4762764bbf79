package io.brandscan.gather;

import io.vertx.core.Future;
import java.net.URI;

/**
 * Decides whether a user-supplied feed URL may be fetched: the same SSRF rules as image
 * downloads (no loopback, private, link-local, multicast or unique-local targets unless
 * allowlisted). The json-feed provider asks it for the feed URL, every redirect target and every
 * {@code next} page before connecting. The pipeline wires it to the acquire side's URL policy;
 * there is deliberately no permissive default here.
 */
@FunctionalInterface
public interface FeedUrlGuard {
    /** Succeeds when {@code uri} may be fetched; fails with a reason otherwise. */
    Future<Void> check(URI uri);
}
