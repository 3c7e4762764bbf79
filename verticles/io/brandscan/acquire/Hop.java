package io.brandscan.acquire;

import java.net.InetAddress;
import java.net.URI;

/**
 * One request of a download: the URL, the checked address it was sent to, and the status it got.
 * A download with two redirects has three hops; the audit trail for "why did we fetch that".
 */
public record Hop(URI url, InetAddress address, int status) {
}
