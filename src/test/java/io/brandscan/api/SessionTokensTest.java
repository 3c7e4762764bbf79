package io.brandscan.api;

import io.brandscan.time.SettableClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session JWTs: claims round-trip, expiry by the injected clock, forgeries refused. */
class SessionTokensTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        ApiFixture.await(vertx.close());
    }

    @Test
    void aTokenCarriesItsClaimsUntilTheClockPassesItsExpiry() throws Exception {
        SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");
        SessionTokens tokens = new SessionTokens(vertx, "0123456789abcdef0123456789abcdef", "brandscan", 60, clock);
        String token = tokens.issue("usr-1", "cl-1", Role.ANALYST).getString("token");
        SessionTokens.Claims claims = ApiFixture.await(tokens.verify(token));
        assertEquals("usr-1", claims.userId());
        assertEquals("cl-1", claims.clientId());
        assertEquals(Role.ANALYST, claims.role());
        clock.advance(Duration.ofSeconds(60));
        Exception expired = assertThrows(Exception.class, () -> ApiFixture.await(tokens.verify(token)));
        assertTrue(expired.getCause() instanceof ApiException e && e.status() == 401, String.valueOf(expired.getCause()));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");
        SessionTokens mine = new SessionTokens(vertx, "0123456789abcdef0123456789abcdef", "brandscan", 60, clock);
        SessionTokens theirs = new SessionTokens(vertx, "ffffffffffffffffffffffffffffffff", "brandscan", 60, clock);
        String forged = theirs.issue("usr-1", "cl-1", Role.CLIENT_ADMIN).getString("token");
        assertThrows(Exception.class, () -> ApiFixture.await(mine.verify(forged)));
    }
}
