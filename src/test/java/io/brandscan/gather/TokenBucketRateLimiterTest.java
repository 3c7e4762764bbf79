package io.brandscan.gather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.time.SettableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-process limiter on real Vert.x timers, its buckets driven by a settable clock. */
class TokenBucketRateLimiterTest {
    private Vertx vertx;
    private final SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    private TokenBucketRateLimiter limiter(JsonObject limits, long maxWaitMs) {
        return new TokenBucketRateLimiter(vertx, clock, new JsonObject().put("rate_limits", limits)
                .put("rate_limit_max_wait_ms", maxWaitMs));
    }

    @Test
    void theProviderLimitIsSharedByAllClientsAndRefusesPastTheWaitBound() {
        // 600/min = one token per 100 ms of (settable) clock; the wait bound allows one token of debt
        TokenBucketRateLimiter limiter = limiter(new JsonObject().put("scraperapi",
                new JsonObject().put("per_minute", 600).put("burst", 2)), 100);

        assertTrue(limiter.acquire("scraperapi", "a").succeeded());
        assertTrue(limiter.acquire("scraperapi", "b").succeeded());
        Future<Void> waiting = limiter.acquire("scraperapi", "c");
        assertFalse(waiting.isComplete(), "third request waits for its token");
        waiting.await();

        ProviderException refused = assertThrows(ProviderException.class, () -> limiter.acquire("scraperapi", "d").await());
        assertEquals(ProviderError.RATE_LIMITED, refused.error());
        assertTrue(refused.retryable());

        clock.advanceMillis(300);
        assertTrue(limiter.acquire("scraperapi", "d").succeeded(), "the clock refilled the bucket");
    }

    @Test
    void aClientLimitHoldsOneClientBackWithoutTouchingOthers() {
        TokenBucketRateLimiter limiter = limiter(new JsonObject().put("scraperapi", new JsonObject()
                .put("per_minute", 6000).put("burst", 100).put("client_per_minute", 1).put("client_burst", 2)), 1000);

        limiter.acquire("scraperapi", "greedy").await();
        limiter.acquire("scraperapi", "greedy").await();
        assertEquals(ProviderError.RATE_LIMITED, assertThrows(ProviderException.class,
                () -> limiter.acquire("scraperapi", "greedy").await()).error());
        assertTrue(limiter.acquire("scraperapi", "polite").succeeded());

        clock.advanceMillis(60_000);
        assertTrue(limiter.acquire("scraperapi", "greedy").succeeded());
    }

    @Test
    void aRefusedClientGivesBackItsProviderToken() {
        TokenBucketRateLimiter limiter = limiter(new JsonObject().put("scraperapi", new JsonObject()
                .put("per_minute", 1).put("burst", 2).put("client_per_minute", 1).put("client_burst", 1)), 0);

        assertTrue(limiter.acquire("scraperapi", "a").succeeded());
        assertTrue(limiter.acquire("scraperapi", "a").failed());
        assertTrue(limiter.acquire("scraperapi", "b").succeeded(), "a's refused request did not spend the provider token");
    }

    @Test
    void unnamedProvidersAreNotLimitedAndDefaultsExist() {
        TokenBucketRateLimiter limiter = limiter(new JsonObject(), 0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.acquire("demo", "a").succeeded());
        }
        TokenBucketRateLimiter defaults = new TokenBucketRateLimiter(vertx, clock, new JsonObject()
                .put("rate_limit_max_wait_ms", 0));
        int granted = 0;
        while (defaults.acquire("scraperapi", "a").succeeded()) {
            granted++;
        }
        assertEquals(5, granted, "default scraperapi burst");
    }
}
