package io.brandscan.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;

/**
 * The short-lived JWTs a dashboard user gets at login: HS256 over the configured secret, claims
 * {@code sub} (user id), {@code client_id}, {@code role}, {@code iss}, {@code iat}, {@code exp}.
 * Expiry is checked against the injected {@link Clock} (the library's own check, which reads the
 * system clock, is turned off), so tests can move time past it.
 */
public final class SessionTokens {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTokens.class);
    /** The claims of a token that verified and has not expired. */
    public record Claims(String userId, String clientId, Role role, long expiresAt) {
    }

    private final JWTAuth jwt;
    private final Clock clock;
    private final int ttlSeconds;
    private final String issuer;

    public SessionTokens(Vertx vertx, String secret, String issuer, int ttlSeconds, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttlSeconds = ttlSeconds;
        this.issuer = issuer;
        this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
                .setJWTOptions(new JWTOptions().setAlgorithm("HS256").setIssuer(issuer).setIgnoreExpiration(true)));
    }

    /** A token for the user; returns {@code {token, expires_at}} (epoch seconds). */
    public JsonObject issue(String userId, String clientId, Role role) {
        long now = clock.millis() / 1000;
        long exp = now + ttlSeconds;
        JsonObject claims = new JsonObject().put("sub", userId).put("client_id", clientId).put("role", role.wireName())
                .put("iat", now).put("exp", exp);
        String token = jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setIssuer(issuer).setNoTimestamp(true));
        return new JsonObject().put("token", token).put("token_type", "Bearer").put("expires_at", exp);
    }

    /** The token's claims; fails with a 401 {@link ApiException} if it is forged, malformed or expired. */
    public Future<Claims> verify(String token) {
        return jwt.authenticate(new TokenCredentials(token))
                .recover(e -> {
                    LOG.debug("token refused: {}", e.toString());
                    return Future.failedFuture(ApiException.unauthorized("invalid token"));
                })
                .compose(user -> {
                    // The verified claims are the "accessToken" attribute; the principal holds the raw token.
                    Object decoded = user.attributes().getValue("accessToken");
                    JsonObject p = decoded instanceof JsonObject claims ? claims : user.principal();
                    Long exp = p.getLong("exp");
                    if (exp == null || clock.millis() / 1000 >= exp) {
                        return Future.failedFuture(ApiException.unauthorized("token expired"));
                    }
                    try {
                        return Future.succeededFuture(new Claims(p.getString("sub"), p.getString("client_id"),
                                Role.fromWire(p.getString("role")), exp));
                    } catch (RuntimeException e) {
                        return Future.failedFuture(ApiException.unauthorized("invalid token"));
                    }
                });
    }
}
