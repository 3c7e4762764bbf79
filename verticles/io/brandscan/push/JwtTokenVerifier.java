package io.brandscan.push;

import io.brandscan.api.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@link TokenVerifier} over vertx-auth-jwt: HS256 JWTs signed with the shared secret
 * ({@code push.jwt_secret}), plus the optional platform admin token ({@code push.admin_token}),
 * compared in constant time, which authenticates a {@link Role#PLATFORM_ADMIN} with no client.
 * HMAC verification is cheap and runs on the calling event loop.
 */
public final class JwtTokenVerifier implements TokenVerifier {
    /** The subject given to the admin token's principal. */
    public static final String ADMIN_TOKEN_SUBJECT = "admin-token";

    private final JWTAuth jwt;
    private final byte[] adminTokenDigest;

    private JwtTokenVerifier(JWTAuth jwt, String adminToken) {
        this.jwt = jwt;
        this.adminTokenDigest = adminToken == null || adminToken.isBlank() ? null : sha256(adminToken);
    }

    /**
     * @param secret     the HS256 secret, at least 32 bytes (refused otherwise: a short secret can be guessed)
     * @param adminToken the platform admin token, or null/blank for none
     */
    public static JwtTokenVerifier create(Vertx vertx, String secret, String adminToken) {
        requireSecret(secret);
        JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
        return new JwtTokenVerifier(jwt, adminToken);
    }

    /** Refuses a missing or short secret (a short HS256 secret can be guessed offline). */
    public static void requireSecret(String secret) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException(
                    "push.jwt_secret (BRANDSCAN_PUSH_JWT_SECRET) must be at least 32 bytes");
        }
    }

    @Override
    public Future<Principal> verify(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            return Future.failedFuture(new InvalidTokenException("no token"));
        }
        if (adminTokenDigest != null && MessageDigest.isEqual(adminTokenDigest, sha256(bearerToken))) {
            return Future.succeededFuture(new Principal(null, Role.PLATFORM_ADMIN, ADMIN_TOKEN_SUBJECT));
        }
        if (bearerToken.chars().filter(c -> c == '.').count() != 2) {
            return Future.failedFuture(new InvalidTokenException("not a JWT"));
        }
        return jwt.authenticate(new TokenCredentials(bearerToken))
                .recover(e -> Future.failedFuture(new InvalidTokenException("token refused: " + e.getMessage())))
                .compose(user -> {
                    try {
                        // The library keeps the verified payload under attributes.accessToken.
                        JsonObject claims = user.attributes().getJsonObject("accessToken");
                        return Future.succeededFuture(principal(claims == null ? new JsonObject() : claims));
                    } catch (RuntimeException e) {
                        return Future.failedFuture(new InvalidTokenException("token claims: " + e.getMessage()));
                    }
                });
    }

    /** The claims as a principal; {@code exp} must be present (the library only checks it when it is). */
    static Principal principal(JsonObject claims) {
        if (!(claims.getValue("exp") instanceof Number)) {
            throw new IllegalArgumentException("exp is required");
        }
        Object role = claims.getValue("role");
        Object client = claims.getValue("client_id");
        Object sub = claims.getValue("sub");
        if (!(role instanceof String r) || !(sub instanceof String s) || (client != null && !(client instanceof String))) {
            throw new IllegalArgumentException("sub and role must be strings, client_id a string when present");
        }
        return new Principal((String) client, Role.fromWire(r), s);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
