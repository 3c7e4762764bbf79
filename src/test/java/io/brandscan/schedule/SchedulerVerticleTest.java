package io.brandscan.schedule;

import io.brandscan.mongo.MongoProcesses;
import io.brandscan.time.SettableClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import static io.brandscan.mongo.MongoProcesses.await;
import static io.brandscan.mongo.MongoProcesses.onContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two scheduler verticles in two Vert.x instances, each with its own MongoClient, over one
 * mongo-java-server and one settable clock: every slot fires exactly once, a slot missed across
 * downtime fires once, and bad schedules are refused naming the field.
 */
class SchedulerVerticleTest {
    private static final String DB = "scheduler_test";
    private static MongoProcesses processes;

    @BeforeAll
    static void start() {
        processes = new MongoProcesses(2, DB);
    }

    @AfterAll
    static void stop() throws Exception {
        processes.close();
    }

    /** What the starter was handed, by brand and slot. */
    private static final class Starts implements Function<ScheduledScan, Future<?>> {
        final ConcurrentLinkedQueue<ScheduledScan> all = new ConcurrentLinkedQueue<>();
        volatile boolean failing;

        @Override
        public Future<?> apply(ScheduledScan scan) {
            all.add(scan);
            return failing ? Future.failedFuture(new IllegalStateException("limit reached")) : Future.succeededFuture(scan.scanId());
        }

        Map<String, Integer> counts() {
            Map<String, Integer> counts = new TreeMap<>();
            all.forEach(s -> counts.merge(s.brandId() + "@" + s.slot(), 1, Integer::sum));
            return counts;
        }
    }

    private static SchedulerVerticle deploy(int process, SettableClock clock, Starts starts, String collection, long tickMs)
            throws Exception {
        SchedulerVerticle verticle = new SchedulerVerticle(clock, starts);
        JsonObject conf = new JsonObject()
                .put("schedule", new JsonObject().put("tick_ms", tickMs).put("brands_collection", collection))
                .put("mongo", processes.mongoConf(DB, "scheduler-" + process + "-" + collection));
        await(processes.vertx(process).deployVerticle(verticle, new DeploymentOptions().setConfig(conf)));
        return verticle;
    }

    private static JsonObject brand(String client, String brand, JsonObject schedule) {
        return new JsonObject().put("_id", client + ":" + brand).put("client_id", client).put("brand_id", brand)
                .put("name", brand).put("schedule", schedule);
    }

    private static JsonObject cron(String expression) {
        return new JsonObject().put("type", "cron").put("expression", expression);
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Both schedulers tick at once, several times: the claims race on every due slot. */
    private static int tickTogether(SchedulerVerticle a, SchedulerVerticle b, int rounds) throws Exception {
        int fired = 0;
        for (int i = 0; i < rounds; i++) {
            Future<Integer> first = onContext(processes.vertx(0), a::tick);
            Future<Integer> second = onContext(processes.vertx(1), b::tick);
            await(Future.all(first, second));
            fired += first.result() + second.result();
        }
        return fired;
    }

    @Test
    void everySlotFiresExactlyOnceAcrossTwoSchedulers() throws Exception {
        String collection = "brands_every_slot";
        MongoClient mongo = processes.mongo(0);
        SettableClock clock = SettableClock.startingAt("2026-11-22T00:00:00Z"); // a Sunday
        Map<String, JsonObject> schedules = new TreeMap<>();
        for (int i = 0; i < 4; i++) {
            schedules.put("quarter-" + i, cron("*/15 * * * *"));
        }
        schedules.put("morning", new JsonObject().put("type", "daily").put("at", "06:00"));
        schedules.put("evening", new JsonObject().put("type", "daily").put("at", "18:30"));
        schedules.put("monday", new JsonObject().put("type", "weekly").put("day", "monday").put("at", "00:05"));
        schedules.put("paris", cron("0 */2 * * *").put("zone", "Europe/Paris"));
        schedules.put("office", cron("5,35 9-17 * * mon-fri"));
        for (Map.Entry<String, JsonObject> e : schedules.entrySet()) {
            await(mongo.insert(collection, brand(e.getKey().startsWith("quarter") ? "acme" : "globex", e.getKey(), e.getValue())));
        }
        await(mongo.insert(collection, brand("acme", "by-hand", new JsonObject().put("type", "manual"))));

        Instant start = clock.instant();
        Instant end = Instant.parse("2026-11-23T12:00:00Z");
        TreeMap<Instant, List<String>> expected = new TreeMap<>();
        for (Map.Entry<String, JsonObject> e : schedules.entrySet()) {
            Schedule schedule = ScheduleJson.parse(e.getValue());
            for (Optional<Instant> t = schedule.nextAfter(start); t.isPresent() && !t.get().isAfter(end);
                 t = schedule.nextAfter(t.get())) {
                expected.computeIfAbsent(t.get(), k -> new ArrayList<>()).add(e.getKey() + "@" + t.get());
            }
        }

        Starts starts = new Starts();
        SchedulerVerticle a = deploy(0, clock, starts, collection, 15);
        SchedulerVerticle b = deploy(1, clock, starts, collection, 15);
        waitFor("every schedule planned", () -> {
            try {
                return await(mongo.count(collection, new JsonObject().put(BrandSchedules.NEXT_SLOT,
                        new JsonObject().put("$ne", null)))) == 9;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        int due = 0;
        for (Map.Entry<Instant, List<String>> slot : expected.entrySet()) {
            clock.set(slot.getKey());
            due += slot.getValue().size();
            int target = due;
            waitFor("slots up to " + slot.getKey(), () -> starts.all.size() >= target);
            // The clock jumps 15 minutes at a time, past the 5-minute start lease: let each start be
            // recorded before the jump, as it is within milliseconds in real time.
            waitFor("starts recorded up to " + slot.getKey(), () -> {
                try {
                    return await(mongo.count(collection, new JsonObject().put(BrandSchedules.PENDING_START,
                            new JsonObject().put("$exists", true)))) == 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        Thread.sleep(200); // a dozen more ticks of each scheduler: nothing may fire twice

        TreeSet<String> wanted = new TreeSet<>();
        expected.values().forEach(wanted::addAll);
        Map<String, Integer> counts = starts.counts();
        assertEquals(wanted, counts.keySet(), "every slot fired, and nothing else");
        counts.forEach((slot, n) -> assertEquals(1, n, slot + " fired " + n + " times"));
        assertEquals(wanted.size(), starts.all.size());
        assertEquals(wanted.size(), a.fired() + b.fired(), "each fire counted by exactly one scheduler");
        assertTrue(a.fired() > 0 && b.fired() > 0, "both schedulers took part: " + a.fired() + " and " + b.fired());
        assertTrue(starts.all.stream().allMatch(s -> s.missedSlots() == 1));
        assertTrue(wanted.size() > 150, "the walk crossed many slots: " + wanted.size());
        assertTrue(starts.all.stream().noneMatch(s -> s.brandId().equals("by-hand")), "manual never fires");
        assertEquals(wanted.size(), starts.all.stream().map(ScheduledScan::scanId).distinct().count(),
                "one deterministic scan id per slot");

        await(processes.vertx(0).undeploy(processes.vertx(0).deploymentIDs().iterator().next()));
        await(processes.vertx(1).undeploy(processes.vertx(1).deploymentIDs().iterator().next()));
    }

    @Test
    void downtimeAcrossFiveSlotsFiresOnceThenTheScheduleContinues() throws Exception {
        String collection = "brands_downtime";
        MongoClient mongo = processes.mongo(0);
        SettableClock clock = SettableClock.startingAt("2026-11-22T08:00:00Z");
        await(mongo.insert(collection, brand("acme", "morning", new JsonObject().put("type", "daily").put("at", "09:00"))));
        Starts starts = new Starts();
        long manualTicks = 3_600_000;

        SchedulerVerticle before = deploy(0, clock, starts, collection, manualTicks);
        assertEquals(0, await(onContext(processes.vertx(0), before::tick)));
        JsonObject planned = await(mongo.findOne(collection, new JsonObject().put("_id", "acme:morning"), null));
        assertEquals(Instant.parse("2026-11-22T09:00:00Z").toEpochMilli(), planned.getLong(BrandSchedules.NEXT_SLOT));
        await(processes.vertx(0).undeploy(processes.vertx(0).deploymentIDs().iterator().next()));

        // Down from 08:00 on the 22nd until 10:00 on the 26th: the 09:00 slots of the 22nd..26th pass unseen.
        clock.set(Instant.parse("2026-11-26T10:00:00Z"));
        SchedulerVerticle a = deploy(0, clock, starts, collection, manualTicks);
        SchedulerVerticle b = deploy(1, clock, starts, collection, manualTicks);
        assertEquals(1, tickTogether(a, b, 5), "five missed slots fire once");
        assertEquals(1, starts.all.size());
        ScheduledScan fired = starts.all.peek();
        assertEquals(Instant.parse("2026-11-22T09:00:00Z"), fired.slot(), "the claimed slot is the stored one");
        assertEquals(5, fired.missedSlots());
        assertEquals(clock.instant(), fired.firedAt());
        JsonObject after = await(mongo.findOne(collection, new JsonObject().put("_id", "acme:morning"), null));
        assertEquals(Instant.parse("2026-11-27T09:00:00Z").toEpochMilli(), after.getLong(BrandSchedules.NEXT_SLOT),
                "the schedule continues from now, not from the missed slot");
        assertEquals(5, after.getInteger(BrandSchedules.MISSED_SLOTS));
        assertTrue(after.getJsonObject(BrandSchedules.LAST_START).getBoolean("ok"));

        clock.set(Instant.parse("2026-11-27T09:00:00Z"));
        assertEquals(1, tickTogether(a, b, 3));
        assertEquals(1, starts.all.stream().filter(s -> s.slot().equals(Instant.parse("2026-11-27T09:00:00Z"))).count());
        assertEquals(1, starts.all.stream().toList().get(1).missedSlots());
        await(processes.vertx(0).undeploy(processes.vertx(0).deploymentIDs().iterator().next()));
        await(processes.vertx(1).undeploy(processes.vertx(1).deploymentIDs().iterator().next()));
    }

    @Test
    void badSchedulesAreRefusedNamingTheFieldAndNeverFire() throws Exception {
        String collection = "brands_bad";
        MongoClient mongo = processes.mongo(1);
        SettableClock clock = SettableClock.startingAt("2026-11-22T08:00:00Z");
        await(mongo.insert(collection, brand("acme", "bad-hour", cron("0 25 * * *"))));
        await(mongo.insert(collection, brand("acme", "not-object", null).put("schedule", "daily")));
        await(mongo.insert(collection, brand("acme", "good", new JsonObject().put("type", "daily").put("at", "09:00"))));
        Starts starts = new Starts();
        SchedulerVerticle a = deploy(0, clock, starts, collection, 3_600_000);
        SchedulerVerticle b = deploy(1, clock, starts, collection, 3_600_000);
        tickTogether(a, b, 2);

        JsonObject badHour = await(mongo.findOne(collection, new JsonObject().put("_id", "acme:bad-hour"), null));
        assertEquals("schedule.expression.hour", badHour.getJsonObject(BrandSchedules.SCHEDULE_ERROR).getString("field"));
        assertTrue(badHour.containsKey(BrandSchedules.NEXT_SLOT) && badHour.getValue(BrandSchedules.NEXT_SLOT) == null);
        JsonObject notObject = await(mongo.findOne(collection, new JsonObject().put("_id", "acme:not-object"), null));
        assertEquals("schedule", notObject.getJsonObject(BrandSchedules.SCHEDULE_ERROR).getString("field"));

        clock.set(Instant.parse("2026-11-23T09:00:00Z"));
        tickTogether(a, b, 2);
        assertEquals(List.of("good"), starts.all.stream().map(ScheduledScan::brandId).toList());

        // The API's entry point refuses a bad schedule naming the field and writes nothing.
        BrandSchedules api = new BrandSchedules(mongo, collection, clock);
        Throwable refused = await(api.plan("acme", "good", new JsonObject().put("type", "weekly").put("day", "someday")
                .put("at", "09:00")).map(x -> (Throwable) null).recover(Future::succeededFuture));
        assertEquals("schedule.day", assertInstanceOf(InvalidScheduleException.class, refused).field());
        JsonObject good = await(mongo.findOne(collection, new JsonObject().put("_id", "acme:good"), null));
        assertEquals(Instant.parse("2026-11-24T09:00:00Z").toEpochMilli(), good.getLong(BrandSchedules.NEXT_SLOT));
        // ... and fixes a refused one, which then fires.
        assertEquals(Optional.of(Instant.parse("2026-11-23T10:00:00Z")),
                await(api.plan("acme", "bad-hour", cron("0 10 * * *"))));
        JsonObject fixed = await(mongo.findOne(collection, new JsonObject().put("_id", "acme:bad-hour"), null));
        assertFalse(fixed.containsKey(BrandSchedules.SCHEDULE_ERROR));
        assertEquals(Optional.empty(), await(api.plan("other-client", "good", cron("0 10 * * *"))),
                "another client's brand is not touched");
        assertEquals(Instant.parse("2026-11-24T09:00:00Z").toEpochMilli(),
                await(mongo.findOne(collection, new JsonObject().put("_id", "acme:good"), null)).getLong(BrandSchedules.NEXT_SLOT));
        await(mongo.updateCollection(collection, new JsonObject().put("_id", "acme:bad-hour"),
                new JsonObject().put("$set", new JsonObject().put("schedule", cron("0 10 * * *")))));
        clock.set(Instant.parse("2026-11-23T10:00:00Z"));
        tickTogether(a, b, 2);
        assertEquals(List.of("good", "bad-hour"), starts.all.stream().map(ScheduledScan::brandId).toList());
        await(processes.vertx(0).undeploy(processes.vertx(0).deploymentIDs().iterator().next()));
        await(processes.vertx(1).undeploy(processes.vertx(1).deploymentIDs().iterator().next()));
    }

    @Test
    void aFailedStartIsRecordedNotRepeatedAndAChangedScheduleIsReplanned() throws Exception {
        String collection = "brands_changes";
        MongoClient mongo = processes.mongo(0);
        SettableClock clock = SettableClock.startingAt("2026-11-22T08:00:00Z");
        await(mongo.insert(collection, brand("acme", "changing", new JsonObject().put("type", "daily").put("at", "09:00"))));
        Starts starts = new Starts();
        starts.failing = true;
        SchedulerVerticle a = deploy(0, clock, starts, collection, 3_600_000);
        SchedulerVerticle b = deploy(1, clock, starts, collection, 3_600_000);
        tickTogether(a, b, 1);
        clock.set(Instant.parse("2026-11-22T09:00:00Z"));
        assertEquals(1, tickTogether(a, b, 3));
        JsonObject doc = await(mongo.findOne(collection, new JsonObject().put("_id", "acme:changing"), null));
        JsonObject lastStart = doc.getJsonObject(BrandSchedules.LAST_START);
        assertFalse(lastStart.getBoolean("ok"));
        assertEquals("limit reached", lastStart.getString("error"));
        assertEquals(1, starts.all.size(), "a failed start is not fired again");

        // The API changes the schedule without re-planning: the stale slot is re-planned, not fired.
        await(mongo.updateCollection(collection, new JsonObject().put("_id", "acme:changing"),
                new JsonObject().put("$set", new JsonObject().put("schedule", new JsonObject().put("type", "daily").put("at", "12:00")))));
        starts.failing = false;
        clock.set(Instant.parse("2026-11-23T09:00:00Z"));
        assertEquals(0, tickTogether(a, b, 2));
        doc = await(mongo.findOne(collection, new JsonObject().put("_id", "acme:changing"), null));
        assertEquals(Instant.parse("2026-11-23T12:00:00Z").toEpochMilli(), doc.getLong(BrandSchedules.NEXT_SLOT));
        clock.set(Instant.parse("2026-11-23T12:00:00Z"));
        assertEquals(1, tickTogether(a, b, 2));
        assertEquals(Instant.parse("2026-11-23T12:00:00Z"), starts.all.stream().toList().get(1).slot());

        // Removing the schedule (manual) stops it for good.
        await(mongo.updateCollection(collection, new JsonObject().put("_id", "acme:changing"),
                new JsonObject().put("$set", new JsonObject().put("schedule", new JsonObject().put("type", "manual")))));
        clock.set(Instant.parse("2026-11-30T12:00:00Z"));
        assertEquals(0, tickTogether(a, b, 2));
        assertNull(await(mongo.findOne(collection, new JsonObject().put("_id", "acme:changing"), null))
                .getValue(BrandSchedules.NEXT_SLOT));
        assertEquals(2, starts.all.size());

        // Back from manual to daily, again without re-planning: planned from now and fired once.
        await(mongo.updateCollection(collection, new JsonObject().put("_id", "acme:changing"),
                new JsonObject().put("$set", new JsonObject().put("schedule", new JsonObject().put("type", "daily").put("at", "13:00")))));
        assertEquals(0, tickTogether(a, b, 2));
        clock.set(Instant.parse("2026-11-30T13:00:00Z"));
        assertEquals(1, tickTogether(a, b, 3));
        assertEquals(Instant.parse("2026-11-30T13:00:00Z"), starts.all.stream().toList().get(2).slot());
        await(processes.vertx(0).undeploy(processes.vertx(0).deploymentIDs().iterator().next()));
        await(processes.vertx(1).undeploy(processes.vertx(1).deploymentIDs().iterator().next()));
    }

    @Test
    void aSlotWhoseSchedulerDiedBeforeStartingItIsStartedAgainOnceWithTheSameScanId() throws Exception {
        String collection = "brands_stalled";
        MongoClient mongo = processes.mongo(0);
        SettableClock clock = SettableClock.startingAt("2026-11-22T08:00:00Z");
        await(mongo.insert(collection, brand("acme", "stalled", new JsonObject().put("type", "daily").put("at", "09:00"))));

        // The first scheduler claims the slot, then hangs in its starter and is taken away.
        ConcurrentLinkedQueue<ScheduledScan> hung = new ConcurrentLinkedQueue<>();
        Function<ScheduledScan, Future<?>> hanging = scan -> {
            hung.add(scan);
            return io.vertx.core.Promise.promise().future();
        };
        SchedulerVerticle dying = new SchedulerVerticle(clock, hanging);
        JsonObject conf = new JsonObject()
                .put("schedule", new JsonObject().put("tick_ms", 3_600_000).put("brands_collection", collection)
                        .put("start_timeout_ms", 300))
                .put("mongo", processes.mongoConf(DB, "scheduler-dying"));
        String dyingId = await(processes.vertx(0).deployVerticle(dying, new DeploymentOptions().setConfig(conf)));
        await(onContext(processes.vertx(0), dying::tick));
        clock.set(Instant.parse("2026-11-22T09:00:00Z"));
        assertEquals(1, await(onContext(processes.vertx(0), dying::tick)), "a hung starter does not hold the tick forever");
        assertEquals(1, hung.size());
        assertEquals(0, await(onContext(processes.vertx(0), dying::tick)), "and the scheduler goes on ticking");
        await(processes.vertx(0).undeploy(dyingId));
        JsonObject pending = await(mongo.findOne(collection, new JsonObject().put("_id", "acme:stalled"), null));
        assertEquals(Instant.parse("2026-11-22T09:00:00Z").toEpochMilli(),
                pending.getJsonObject(BrandSchedules.PENDING_START).getLong("slot"));

        Starts starts = new Starts();
        SchedulerVerticle a = deploy(0, clock, starts, collection, 3_600_000);
        SchedulerVerticle b = deploy(1, clock, starts, collection, 3_600_000);
        clock.set(Instant.parse("2026-11-22T09:04:00Z"));
        tickTogether(a, b, 2);
        assertTrue(starts.all.isEmpty(), "within the start lease the claim is still the first scheduler's");
        clock.set(Instant.parse("2026-11-22T09:05:00Z"));
        tickTogether(a, b, 3);
        assertEquals(1, starts.all.size(), "restarted once, by one of the two");
        ScheduledScan retried = starts.all.peek();
        assertEquals(hung.peek().slot(), retried.slot());
        assertEquals(hung.peek().scanId(), retried.scanId(), "the same scan id, so a scan already created is recognised");
        JsonObject after = await(mongo.findOne(collection, new JsonObject().put("_id", "acme:stalled"), null));
        assertFalse(after.containsKey(BrandSchedules.PENDING_START));
        assertTrue(after.getJsonObject(BrandSchedules.LAST_START).getBoolean("ok"));

        clock.set(Instant.parse("2026-11-23T09:00:00Z"));
        assertEquals(1, tickTogether(a, b, 2), "the schedule goes on as usual");
        assertEquals(2, starts.all.size());
        await(processes.vertx(0).undeploy(processes.vertx(0).deploymentIDs().iterator().next()));
        await(processes.vertx(1).undeploy(processes.vertx(1).deploymentIDs().iterator().next()));
    }
}
