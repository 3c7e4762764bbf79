package io.brandscan.api;

import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Turns an {@code Authorization: Bearer <token>} header into a {@link Caller}, or a 401. Three
 * kinds of token: a client API key ({@code bsk_...}, checked against its stored hash on every
 * request), the platform admin token (compared in constant time: both sides are hashed first, so
 * neither content nor length leaks through timing), or a session JWT, whose user is re-read so
 * a deleted user or a changed role takes effect at once rather than at token expiry.
 */
public final class Authenticator {
    private final Accounts accounts;
    private final SessionTokens tokens;
    private final byte[] adminTokenHash;

    public Authenticator(Accounts accounts, SessionTokens tokens, String adminToken) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.adminTokenHash = adminToken == null || adminToken.isEmpty() ? null
                : ApiKey.sha256(adminToken.getBytes(StandardCharsets.UTF_8));
    }

    public Future<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Future.failedFuture(ApiException.unauthorized("an Authorization: Bearer <token> header is required"));
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty() || token.length() > 4096) {
            return Future.failedFuture(ApiException.unauthorized("invalid credential"));
        }
        if (ApiKey.looksLikeKey(token)) {
            return ApiKey.parse(token)
                    .map(key -> accounts.authenticateKey(key).compose(owner -> owner
                            .map(o -> Future.succeededFuture(new Caller(o.clientId(), "key:" + o.keyId(), o.role())))
                            .orElseGet(() -> Future.failedFuture(ApiException.unauthorized("invalid credential")))))
                    .orElseGet(() -> Future.failedFuture(ApiException.unauthorized("invalid credential")));
        }
        if (isAdminToken(token)) {
            return Future.succeededFuture(Caller.platformAdmin());
        }
        return tokens.verify(token).compose(claims -> accounts.user(claims.clientId(), claims.userId())
                .compose(user -> user
                        .map(u -> Future.succeededFuture(new Caller(u.clientId(), "user:" + u.id(), u.role())))
                        .orElseGet(() -> Future.failedFuture(ApiException.unauthorized("invalid credential")))));
    }

    private boolean isAdminToken(String token) {
        return adminTokenHash != null
                && MessageDigest.isEqual(adminTokenHash, ApiKey.sha256(token.getBytes(StandardCharsets.UTF_8)));
    }
}
