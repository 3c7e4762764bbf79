package io.brandscan.push;

import io.vertx.core.Future;

/**
 * The push tier's authentication seam: turns a bearer token into the {@link Principal} it
 * speaks for. The contract every implementation keeps (and the API's token issuer matches):
 * a JWT signed HS256 with claims {@code sub} (user), {@code client_id}, {@code role} (one of
 * platform_admin, client_admin, analyst, viewer; only platform_admin may lack a client_id) and
 * {@code exp} (required and enforced). A missing, malformed, badly signed, expired or
 * incomplete token fails the future with {@link InvalidTokenException}; the caller answers 401.
 * Never blocks: it is called on an event loop.
 */
public interface TokenVerifier {
    Future<Principal> verify(String bearerToken);
}
