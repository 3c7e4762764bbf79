package io.brandscan.limits;

import io.brandscan.time.SettableClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.brandscan.mongo.MongoProcesses;
import static io.brandscan.mongo.MongoProcesses.await;
import static io.brandscan.mongo.MongoProcesses.onContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-client limits against a real mongo-java-server: each limit refuses with its name and a
 * Retry-After while another client is unaffected, UTC day and month boundaries crossed with a
 * settable clock, missed releases reconciled from the scans collection, and two processes racing
 * for the last slot.
 */
class ClientLimiterTest {
    private static MongoProcesses processes;
    private static final SettableClock CLOCK = SettableClock.startingAt("2026-11-22T10:00:00Z");

    @BeforeAll
    static void start() {
        processes = new MongoProcesses(2, "client_limiter_test");
    }

    @AfterAll
    static void stop() throws Exception {
        processes.close();
    }

    private static ClientLimiter limiter(int process) {
        return new ClientLimiter(processes.vertx(process), processes.mongo(process), LimitsSettings.standard(), CLOCK);
    }

    private static ClientLimits limits(int concurrent, int perMinute, int burst, long day, long month) {
        return new ClientLimits(concurrent, perMinute, burst, day, month);
    }

    private static LimitDecision admit(ClientLimiter limiter, String client, String scan, ClientLimits limits) throws Exception {
        return await(limiter.admitScan(client, scan, limits));
    }

    @Test
    void concurrentScansAreRefusedUntilOneIsReleased() throws Exception {
        ClientLimiter limiter = limiter(0);
        ClientLimits two = limits(2, 60, 5, 100, 1000);
        assertTrue(admit(limiter, "conc-a", "scan-1", two).allowed());
        assertTrue(admit(limiter, "conc-a", "scan-2", two).allowed());
        LimitDecision refused = admit(limiter, "conc-a", "scan-3", two);
        assertFalse(refused.allowed());
        assertEquals(LimitKind.CONCURRENT_SCANS, refused.limit());
        assertEquals(30, refused.retryAfterSeconds());
        assertEquals("concurrent_scans", refused.errorBody().getString("limit"));
        assertTrue(refused.message().contains("concurrent_scans=2"), refused.message());
        assertTrue(admit(limiter, "conc-b", "scan-1", two).allowed(), "another client is unaffected");

        assertTrue(await(limiter.releaseScan("conc-a", "scan-1")));
        assertFalse(await(limiter.releaseScan("conc-a", "scan-1")), "a second release frees nothing");
        assertTrue(admit(limiter, "conc-a", "scan-3", two).allowed());
        assertFalse(admit(limiter, "conc-a", "scan-4", two).allowed(), "the double release did not free a second slot");
        assertEquals(2, await(limiter.usage("conc-a")).runningScans());
    }

    @Test
    void scansPerDayAreRefusedUntilTheNextUtcDay() throws Exception {
        CLOCK.set(Instant.parse("2026-11-22T22:00:00Z"));
        ClientLimiter limiter = limiter(0);
        ClientLimits twoADay = limits(10, 60, 5, 2, 1000);
        assertTrue(admit(limiter, "daily-a", "d1", twoADay).allowed());
        assertTrue(admit(limiter, "daily-a", "d2", twoADay).allowed());
        LimitDecision refused = admit(limiter, "daily-a", "d3", twoADay);
        assertEquals(LimitKind.SCANS_PER_DAY, refused.limit());
        assertEquals(2 * 3600, refused.retryAfterSeconds(), "until midnight UTC");
        assertTrue(refused.message().contains("scans_per_day=2"), refused.message());
        assertTrue(admit(limiter, "daily-b", "d1", twoADay).allowed(), "another client is unaffected");
        ClientUsage usage = await(limiter.usage("daily-a"));
        assertEquals(2, usage.scansToday());
        assertEquals(2, usage.scansThisMonth(), "the refused scan gave back its month count");
        assertEquals(2, usage.runningScans(), "and its slot");

        CLOCK.set(Instant.parse("2026-11-22T23:59:59.500Z"));
        assertEquals(1, admit(limiter, "daily-a", "d3", twoADay).retryAfterSeconds(), "rounded up, at least one second");
        CLOCK.set(Instant.parse("2026-11-23T00:00:00Z"));
        assertTrue(admit(limiter, "daily-a", "d3", twoADay).allowed(), "a new UTC day");
        assertEquals(1, await(limiter.usage("daily-a")).scansToday());
    }

    @Test
    void scansPerMonthAreRefusedUntilTheNextUtcMonth() throws Exception {
        CLOCK.set(Instant.parse("2026-11-29T12:00:00Z"));
        ClientLimiter limiter = limiter(1);
        ClientLimits threeAMonth = limits(10, 60, 5, 100, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(admit(limiter, "monthly-a", "m" + i, threeAMonth).allowed());
            await(limiter.releaseScan("monthly-a", "m" + i));
        }
        LimitDecision refused = admit(limiter, "monthly-a", "m3", threeAMonth);
        assertEquals(LimitKind.SCANS_PER_MONTH, refused.limit());
        assertEquals(Duration.ofHours(36).toSeconds(), refused.retryAfterSeconds(), "until 1 December 00:00 UTC");
        CLOCK.set(Instant.parse("2026-11-30T23:00:00Z"));
        LimitDecision nextDay = admit(limiter, "monthly-a", "m3", threeAMonth);
        assertEquals(LimitKind.SCANS_PER_MONTH, nextDay.limit(), "a new day is not a new month");
        assertEquals(3600, nextDay.retryAfterSeconds());
        assertTrue(admit(limiter, "monthly-b", "m0", threeAMonth).allowed(), "another client is unaffected");
        assertEquals(0, await(limiter.usage("monthly-a")).scansToday(), "refusals by month took nothing from the day");
        CLOCK.set(Instant.parse("2026-12-01T00:00:00Z"));
        assertTrue(admit(limiter, "monthly-a", "m3", threeAMonth).allowed(), "a new UTC month");
        CLOCK.set(Instant.parse("2026-12-31T23:59:00Z"));
        assertEquals(60, admit(limiter, "monthly-a", "m4", limits(10, 60, 5, 100, 1)).retryAfterSeconds(),
                "December's one scan is used: wait for 1 January across the year boundary");
    }

    @Test
    void providerRequestsPerMinuteAreRefusedUntilATokenIsFree() throws Exception {
        CLOCK.set(Instant.parse("2026-11-22T10:00:00Z"));
        ClientLimiter limiter = limiter(0);
        ClientLimits sixAMinute = limits(5, 6, 3, 100, 1000);
        for (int i = 0; i < 3; i++) {
            assertTrue(await(limiter.takeProviderRequest("prov-a", sixAMinute)).allowed(), "the burst of 3");
        }
        LimitDecision refused = await(limiter.takeProviderRequest("prov-a", sixAMinute));
        assertEquals(LimitKind.PROVIDER_REQUESTS_PER_MINUTE, refused.limit());
        assertEquals(10, refused.retryAfterSeconds(), "6 per minute: one token every 10 s");
        assertTrue(await(limiter.takeProviderRequest("prov-b", sixAMinute)).allowed(), "another client is unaffected");
        CLOCK.advance(Duration.ofSeconds(4));
        assertEquals(6, await(limiter.takeProviderRequest("prov-a", sixAMinute)).retryAfterSeconds());
        CLOCK.advance(Duration.ofSeconds(6));
        assertTrue(await(limiter.takeProviderRequest("prov-a", sixAMinute)).allowed(), "a token freed");
        assertFalse(await(limiter.takeProviderRequest("prov-a", sixAMinute)).allowed(), "and only one");
        LimitDecision suspended = await(limiter.takeProviderRequest("prov-c", limits(5, 0, 1, 100, 1000)));
        assertEquals(LimitKind.PROVIDER_REQUESTS_PER_MINUTE, suspended.limit(), "zero refuses everything");
    }

    @Test
    void aMissedReleaseIsRepairedFromTheScansCollection() throws Exception {
        CLOCK.set(Instant.parse("2026-11-22T10:00:00Z"));
        ClientLimiter limiter = limiter(0);
        ClientLimits one = limits(1, 60, 5, 100, 1000);
        assertTrue(admit(limiter, "recon", "r1", one).allowed());
        await(processes.mongo(0).insert("scans", new JsonObject().put("_id", "r1").put("client_id", "recon").put("state", "scoring")));
        assertFalse(admit(limiter, "recon", "r2", one).allowed(), "r1 is still running");
        await(processes.mongo(0).updateCollection("scans", new JsonObject().put("_id", "r1"),
                new JsonObject().put("$set", new JsonObject().put("state", "complete"))));
        assertTrue(admit(limiter, "recon", "r2", one).allowed(), "r1 completed without a release: reconciled");
        // r2 was admitted but its scan document never written: it keeps the slot for the grace only.
        assertFalse(admit(limiter, "recon", "r3", one).allowed());
        CLOCK.advance(LimitsSettings.standard().concurrencyGrace().plusSeconds(1));
        assertTrue(admit(limiter, "recon", "r3", one).allowed(), "an admission that never became a scan is freed");
        long today = await(limiter.usage("recon")).scansToday();
        assertTrue(admit(limiter, "recon", "r3", one).allowed(), "admitting the same scan again is idempotent");
        assertEquals(today, await(limiter.usage("recon")).scansToday(), "and is not counted twice");
        // A finished scan of the same id belonging to another client does not free this client's slot.
        await(processes.mongo(0).insert("scans", new JsonObject().put("_id", "r3").put("client_id", "other").put("state", "complete")));
        assertFalse(admit(limiter, "recon", "r4", one).allowed());
    }

    @Test
    void refundGivesBackAnAdmissionWhoseScanWasNeverCreated() throws Exception {
        CLOCK.set(Instant.parse("2026-11-22T10:00:00Z"));
        ClientLimiter limiter = limiter(0);
        ClientLimits oneADay = limits(1, 60, 5, 1, 1000);
        assertTrue(admit(limiter, "refund", "f1", oneADay).allowed());
        await(limiter.refundScan("refund", "f1"));
        await(limiter.refundScan("refund", "f1"));
        ClientUsage usage = await(limiter.usage("refund"));
        assertEquals(0, usage.scansToday());
        assertEquals(0, usage.scansThisMonth(), "a repeated refund gives back nothing more");
        assertTrue(admit(limiter, "refund", "f2", oneADay).allowed());
    }

    @Test
    void clientDocumentOverridesTheDefaultsAndBadOverridesAreNamed() throws Exception {
        await(processes.mongo(0).insert("clients", new JsonObject().put("_id", "vip")
                .put("limits", new JsonObject().put("scans_per_day", 1).put("concurrent_scans", 20))));
        ClientLimiter limiter = limiter(0);
        ClientLimits vip = await(limiter.limitsFor("vip"));
        ClientLimits defaults = LimitsSettings.standard().defaults();
        assertEquals(1, vip.scansPerDay());
        assertEquals(20, vip.concurrentScans());
        assertEquals(defaults.scansPerMonth(), vip.scansPerMonth());
        assertEquals(defaults, await(limiter.limitsFor("nobody")));
        assertTrue(await(limiter.admitScan("vip", "v1")).allowed());
        assertEquals(LimitKind.SCANS_PER_DAY, await(limiter.admitScan("vip", "v2")).limit());

        LimitsSettings settings = LimitsSettings.standard();
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> settings.clientLimits(new JsonObject().put("scans_per_day", -1)));
        assertTrue(negative.getMessage().startsWith("limits.scans_per_day"), negative.getMessage());
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> settings.clientLimits(new JsonObject().put("concurrent_scans", 1.5)));
        assertTrue(fraction.getMessage().startsWith("limits.concurrent_scans"), fraction.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> settings.clientLimits(new JsonObject().put("scans_per_month", "lots")));
        assertTrue(text.getMessage().startsWith("limits.scans_per_month"), text.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> settings.clientLimits(new JsonObject().put("scans_per_week", 3)));
        assertTrue(unknown.getMessage().startsWith("limits.scans_per_week"), unknown.getMessage());
        assertEquals(10, settings.clientLimits(new JsonObject().put("provider_requests_per_minute", 10))
                .providerRequestsBurst(), "the burst follows an overridden per-minute rate");
        IllegalArgumentException conf = assertThrows(IllegalArgumentException.class,
                () -> LimitsSettings.fromJson(new JsonObject().put("provider_limits",
                        new JsonObject().put("scraperapi", new JsonObject().put("burst", 3)))));
        assertTrue(conf.getMessage().contains("limits.provider_limits.scraperapi"), conf.getMessage());
    }

    @Test
    void twoProcessesRacingNeverAdmitMoreThanTheLimits() throws Exception {
        CLOCK.set(Instant.parse("2026-11-22T10:00:00Z"));
        ClientLimiter first = limiter(0);
        ClientLimiter second = limiter(1);
        ClientLimits limits = limits(5, 60, 5, 7, 1000);
        List<Future<LimitDecision>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String a = "race-a-" + i;
            String b = "race-b-" + i;
            all.add(onContext(processes.vertx(0), () -> first.admitScan("racer", a, limits)));
            all.add(onContext(processes.vertx(1), () -> second.admitScan("racer", b, limits)));
        }
        await(Future.join(all));
        long admitted = all.stream().filter(f -> f.result().allowed()).count();
        assertEquals(5, admitted, "exactly the five slots, whichever process won them");
        ClientUsage usage = await(first.usage("racer"));
        assertEquals(5, usage.runningScans());
        assertEquals(5, usage.scansToday(), "refusals gave back every day count they took");

        // Free the slots: the day limit of 7 now decides, across both processes.
        for (int i = 0; i < 20; i++) {
            await(first.releaseScan("racer", "race-a-" + i));
            await(first.releaseScan("racer", "race-b-" + i));
        }
        List<Future<LimitDecision>> more = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String a = "again-a-" + i;
            String b = "again-b-" + i;
            more.add(onContext(processes.vertx(0), () -> first.admitScan("racer", a, limits)));
            more.add(onContext(processes.vertx(1), () -> second.admitScan("racer", b, limits)));
        }
        await(Future.join(more));
        assertEquals(2, more.stream().filter(f -> f.result().allowed()).count(), "7 a day, 5 already used");
        assertTrue(more.stream().filter(f -> !f.result().allowed())
                .allMatch(f -> f.result().limit() == LimitKind.SCANS_PER_DAY || f.result().limit() == LimitKind.CONCURRENT_SCANS));
        assertEquals(7, await(second.usage("racer")).scansToday());
    }
}
