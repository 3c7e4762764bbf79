package io.brandscan.push;

import io.brandscan.api.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtTokenVerifierTest {
    private static Vertx vertx;
    private static Tokens tokens;
    private static JwtTokenVerifier verifier;

    @BeforeAll
    static void setUp() {
        vertx = Vertx.vertx();
        tokens = new Tokens(vertx);
        verifier = JwtTokenVerifier.create(vertx, Tokens.SECRET, Tokens.ADMIN_TOKEN);
    }

    @AfterAll
    static void tearDown() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aValidTokenNamesItsClientRoleAndUser() throws Exception {
        Principal p = await(verifier.verify(tokens.user("acme", "analyst")));
        assertEquals(new Principal("acme", Role.ANALYST, "user-of-acme"), p);
        assertEquals(Role.PLATFORM_ADMIN, await(verifier.verify(tokens.user(null, "platform_admin"))).role());
    }

    @Test
    void theAdminTokenIsAPlatformAdminWithoutClient() throws Exception {
        Principal p = await(verifier.verify(Tokens.ADMIN_TOKEN));
        assertTrue(p.isPlatformAdmin());
        assertNull(p.clientId());
        refused(Tokens.ADMIN_TOKEN + "x");
    }

    @Test
    void expiredUnsignedForeignAndIncompleteTokensAreRefused() {
        refused(tokens.expired("acme"));
        refused(tokens.withoutExpiry("acme"));
        refused(new Tokens(vertx, "another-secret-another-secret-another-00").viewer("acme"));
        refused(tokens.user("acme", "superuser"));
        refused(tokens.user(null, "viewer"));
        refused(tokens.custom(new JsonObject().put("sub", "u").put("role", "viewer").put("client_id", "../etc")));
        refused(tokens.custom(new JsonObject().put("role", "viewer").put("client_id", "acme")));
        String good = tokens.viewer("acme");
        refused(good.substring(0, good.length() - 3) + "abc");
        refused("");
        refused(null);
        refused("not-a-jwt");
        refused("a.b.c");
    }

    @Test
    void aShortSecretIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> JwtTokenVerifier.create(vertx, "short", null));
        assertThrows(IllegalArgumentException.class, () -> JwtTokenVerifier.create(vertx, null, null));
    }

    private static void refused(String token) {
        Throwable e = assertThrows(Exception.class, () -> await(verifier.verify(token)), "token accepted: " + token);
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        assertInstanceOf(InvalidTokenException.class, cause);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
