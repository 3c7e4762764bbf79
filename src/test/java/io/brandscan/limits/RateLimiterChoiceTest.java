package io.brandscan.limits;

import io.brandscan.gather.ProviderError;
import io.brandscan.gather.ProviderException;
import io.brandscan.gather.ProviderRateLimiter;
import io.brandscan.gather.TokenBucketRateLimiter;
import io.brandscan.mongo.MongoProcesses;
import io.brandscan.time.SettableClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static io.brandscan.mongo.MongoProcesses.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gather.rate_limiter picks the in-process or the MongoDB-backed limiter, and nothing else. */
class RateLimiterChoiceTest {
    private static MongoProcesses processes;
    private final SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");

    @BeforeAll
    static void start() {
        processes = new MongoProcesses(2, "rate_limiter_choice_test");
    }

    @AfterAll
    static void stop() throws Exception {
        processes.close();
    }

    @Test
    void localIsTheDefaultAndOpensNoMongoClient() {
        AtomicInteger opened = new AtomicInteger();
        ProviderRateLimiter limiter = RateLimiterChoice.from(processes.vertx(0), clock, new JsonObject(), new JsonObject(), () -> {
            opened.incrementAndGet();
            return processes.mongo(0);
        });
        assertInstanceOf(TokenBucketRateLimiter.class, limiter);
        assertEquals(0, opened.get());
    }

    @Test
    void sharedLimitersOfTwoProcessesDrawFromOneBucket() throws Exception {
        JsonObject gather = new JsonObject().put("rate_limiter", "shared");
        JsonObject limits = new JsonObject().put("provider_max_wait_ms", 0)
                .put("provider_limits", new JsonObject().put("scraperapi", new JsonObject().put("per_minute", 1).put("burst", 2)));
        ProviderRateLimiter first = RateLimiterChoice.from(processes.vertx(0), clock, gather, limits, () -> processes.mongo(0));
        ProviderRateLimiter second = RateLimiterChoice.from(processes.vertx(1), clock, gather, limits, () -> processes.mongo(1));
        assertInstanceOf(SharedProviderRateLimiter.class, first);
        await(first.acquire("scraperapi", "acme"));
        await(second.acquire("scraperapi", "acme"));
        Throwable third = await(first.acquire("scraperapi", "acme").map(v -> (Throwable) null).recover(Future::succeededFuture));
        assertEquals(ProviderError.RATE_LIMITED, assertInstanceOf(ProviderException.class, third).error());
    }

    @Test
    void anUnknownChoiceIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateLimiterChoice.from(processes.vertx(0),
                clock, new JsonObject().put("rate_limiter", "redis"), new JsonObject(), () -> processes.mongo(0)));
        assertTrue(e.getMessage().contains("gather.rate_limiter"), e.getMessage());
    }
}
