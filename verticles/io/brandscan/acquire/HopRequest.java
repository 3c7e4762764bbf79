package io.brandscan.acquire;

import java.net.InetAddress;

/**
 * One GET the downloader asks a {@link Connector} to send: to exactly {@code address} (an address
 * the policy already checked), with the URL's own host in the Host header and TLS SNI.
 *
 * @param hostHeader       the Host header value, e.g. {@code images.example.com:8080}
 * @param serverName       the host name for SNI and certificate checks (no port, no brackets)
 * @param requestUri       path and query
 * @param connectTimeoutMs connect (and TLS handshake) limit for this hop
 * @param idleTimeoutMs    how long the connection may stay silent: the time left in the download
 */
public record HopRequest(InetAddress address, int port, boolean tls, String hostHeader, String serverName,
                         String requestUri, String userAgent, long connectTimeoutMs, long idleTimeoutMs) {
    public HopRequest {
        if (address == null || port < 1 || port > 65535) {
            throw new IllegalArgumentException("a hop needs a checked address and a port");
        }
    }
}
