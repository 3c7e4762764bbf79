package io.brandscan.limits;

import io.brandscan.gather.ProviderError;
import io.brandscan.gather.ProviderException;
import io.brandscan.time.SettableClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.brandscan.mongo.MongoProcesses;
import static io.brandscan.mongo.MongoProcesses.await;
import static io.brandscan.mongo.MongoProcesses.onContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MongoDB-backed ProviderRateLimiter: two independent Vert.x instances, each with its own
 * MongoClient, draw from one platform-wide bucket per provider and one bucket per client, and
 * together never admit more than the bucket holds.
 */
class SharedProviderRateLimiterTest {
    private static MongoProcesses processes;

    @BeforeAll
    static void start() {
        processes = new MongoProcesses(2, "shared_rate_limiter_test");
    }

    @AfterAll
    static void stop() throws Exception {
        processes.close();
    }

    private static SharedProviderRateLimiter limiter(int process, SettableClock clock, JsonObject conf) {
        ClientLimiter clients = new ClientLimiter(processes.vertx(process), processes.mongo(process),
                LimitsSettings.fromJson(conf), clock);
        return new SharedProviderRateLimiter(processes.vertx(process), clients);
    }

    /** Fires {@code perProcess} acquires from each process at once and counts those admitted. */
    private static long admitted(List<SharedProviderRateLimiter> limiters, String provider, String client, int perProcess)
            throws Exception {
        List<Future<Void>> all = new ArrayList<>();
        for (int i = 0; i < perProcess; i++) {
            for (int p = 0; p < limiters.size(); p++) {
                SharedProviderRateLimiter limiter = limiters.get(p);
                all.add(onContext(processes.vertx(p), () -> limiter.acquire(provider, client)));
            }
        }
        await(Future.join(all).otherwiseEmpty());
        for (Future<Void> f : all) {
            if (f.failed()) {
                ProviderException e = assertInstanceOf(ProviderException.class, f.cause());
                assertEquals(ProviderError.RATE_LIMITED, e.error(), String.valueOf(e));
            }
        }
        return all.stream().filter(Future::succeeded).count();
    }

    @Test
    void twoProcessesShareTheProviderLimit() throws Exception {
        SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");
        // 60 a minute with a burst of 10, no waiting: with the clock still, exactly 10 may pass.
        JsonObject conf = new JsonObject().put("provider_max_wait_ms", 0).put("provider_requests_per_minute", 100_000)
                .put("buckets_collection", "buckets_shared")
                .put("provider_limits", new JsonObject().put("scraperapi", new JsonObject().put("per_minute", 60).put("burst", 10)));
        List<SharedProviderRateLimiter> both = List.of(limiter(0, clock, conf), limiter(1, clock, conf));
        assertEquals(10, admitted(both, "scraperapi", "client-1", 30), "the burst, shared by both processes");
        assertEquals(0, admitted(both, "scraperapi", "client-2", 5), "the provider limit is global: other clients wait too");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(5, admitted(both, "scraperapi", "client-1", 10), "5 s at 60 a minute: 5 more tokens");
        clock.advance(Duration.ofMinutes(10));
        assertEquals(10, admitted(both, "scraperapi", "client-1", 10), "a long pause refills only up to the burst");
        assertEquals(40, admitted(both, "json-feed", "client-1", 20), "a provider without a limit is not limited");
    }

    @Test
    void aShortWaitIsServedInOrderAndALongOneRefused() throws Exception {
        SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");
        // 600 a minute (one every 100 ms), burst 1, waits up to 1 s: 1 now and 10 reserved ahead.
        JsonObject conf = new JsonObject().put("provider_max_wait_ms", 1000).put("provider_requests_per_minute", 100_000)
                .put("buckets_collection", "buckets_waits")
                .put("provider_limits", new JsonObject().put("scraperapi", new JsonObject().put("per_minute", 600).put("burst", 1)));
        List<SharedProviderRateLimiter> both = List.of(limiter(0, clock, conf), limiter(1, clock, conf));
        assertEquals(11, admitted(both, "scraperapi", "waiter", 8));
    }

    @Test
    void theClientLimitSpansProvidersAndAProviderRefusalGivesTheClientTokenBack() throws Exception {
        SettableClock clock = SettableClock.startingAt("2026-11-22T10:00:00Z");
        JsonObject conf = new JsonObject().put("provider_max_wait_ms", 0).put("buckets_collection", "buckets_clients")
                .put("provider_requests_per_minute", 30).put("provider_requests_burst", 3)
                .put("provider_limits", new JsonObject().put("scraperapi", new JsonObject().put("per_minute", 1).put("burst", 1)));
        SharedProviderRateLimiter first = limiter(0, clock, conf);
        SharedProviderRateLimiter second = limiter(1, clock, conf);
        await(first.acquire("scraperapi", "spender"));
        ProviderException byProvider = assertInstanceOf(ProviderException.class, captured(second.acquire("scraperapi", "spender")));
        assertTrue(byProvider.getMessage().contains("platform limit for scraperapi"), byProvider.getMessage());
        // The client's bucket of 3 lost one token to the admitted request only: two remain, on any provider.
        await(first.acquire("json-feed", "spender"));
        await(second.acquire("json-feed", "spender"));
        ProviderException byClient = assertInstanceOf(ProviderException.class, captured(first.acquire("json-feed", "spender")));
        assertEquals(ProviderError.RATE_LIMITED, byClient.error());
        assertTrue(byClient.getMessage().contains("provider_requests_per_minute=30"), byClient.getMessage());
        assertTrue(byClient.getMessage().contains("retry after 2 s"), byClient.getMessage());
        await(first.acquire("json-feed", "someone-else"));
    }

    private static Throwable captured(Future<Void> future) throws Exception {
        return await(future.map(v -> (Throwable) null).recover(Future::succeededFuture));
    }
}
