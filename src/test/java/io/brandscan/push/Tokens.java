package io.brandscan.push;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/** Issues test tokens the way the API does: HS256, claims sub, client_id, role, exp. */
final class Tokens {
    static final String SECRET = "test-secret-test-secret-test-secret-0123";
    static final String ADMIN_TOKEN = "operator-admin-token-for-tests";

    private final JWTAuth jwt;

    Tokens(Vertx vertx, String secret) {
        jwt = JWTAuth.create(vertx, new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    }

    Tokens(Vertx vertx) {
        this(vertx, SECRET);
    }

    String user(String clientId, String role) {
        JsonObject claims = new JsonObject().put("sub", "user-of-" + clientId).put("role", role);
        if (clientId != null) {
            claims.put("client_id", clientId);
        }
        return jwt.generateToken(claims, new JWTOptions().setExpiresInSeconds(600));
    }

    String viewer(String clientId) {
        return user(clientId, "viewer");
    }

    String analystOf(String clientId) {
        return user(clientId, "analyst");
    }

    String expired(String clientId) {
        long now = System.currentTimeMillis() / 1000;
        return jwt.generateToken(new JsonObject().put("sub", "u").put("client_id", clientId).put("role", "viewer")
                .put("exp", now - 120).put("iat", now - 600), new JWTOptions());
    }

    String withoutExpiry(String clientId) {
        return jwt.generateToken(new JsonObject().put("sub", "u").put("client_id", clientId).put("role", "viewer"),
                new JWTOptions());
    }

    String custom(JsonObject claims) {
        return jwt.generateToken(claims, new JWTOptions().setExpiresInSeconds(600));
    }
}
