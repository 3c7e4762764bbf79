package io.brandscan.push;

import io.brandscan.bus.Addresses;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static io.brandscan.push.PushFixture.await;
import static io.brandscan.push.SseClient.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSE endpoint over a real push verticle, real MongoDB wire protocol and the real event bus. */
class PushSseTest {
    private static PushFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new PushFixture("push_sse", new JsonObject().put("heartbeat_ms", 300).put("gap_wait_ms", 300)
                .put("write_queue_max_bytes", 4096).put("catchup_page", 40).put("max_pending_events", 60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void resumesFromLastEventIdWithoutGapsOrRepeatsWhileEventsKeepArriving() throws Exception {
        Scan scan = await(f.store.scans().create("acme", "brand-a"));
        int total = 200;
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        Promise<Void> producerDone = Promise.promise();
        // Three concurrent chains of appendEvent + publish, so inserts and publishes interleave out of order.
        f.context.runOnContext(v -> {
            for (int chain = 0; chain < 3; chain++) {
                produce(scan, total, issued, stored, producerDone);
            }
        });
        String token = f.tokens.viewer("acme");
        SseClient first = f.sse("/api/v1/scans/" + scan.id() + "/events",
                MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token));
        assertEquals(200, first.status());
        waitUntil(() -> first.events.size() >= 50, "50 events on the first connection");
        first.drop();
        List<Long> before = first.ids();
        long lastId = before.get(before.size() - 1);
        int storedAtReconnect = stored.get();

        SseClient second = f.sse("/api/v1/scans/" + scan.id() + "/events",
                MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token).add("Last-Event-ID", Long.toString(lastId)));
        assertEquals(200, second.status());
        await(producerDone.future());
        assertEquals("end", second.ended.get(60, TimeUnit.SECONDS), "the stream ends after the terminal event");

        assertTrue(storedAtReconnect < total, "the reconnect happened while events were still arriving (" + storedAtReconnect + ")");
        List<Long> union = new ArrayList<>(before);
        union.addAll(second.ids());
        List<Long> expected = LongStream.rangeClosed(1, total + 1).boxed().toList();
        assertEquals(expected, union, "every event exactly once, in order");
        SseClient.Event last = second.events.get(second.events.size() - 1);
        assertEquals("state", last.type());
        assertEquals("cancelled", last.data().getString("state"));
        assertEquals("acme", last.data().getString("client_id"));
        assertEquals(scan.id(), last.data().getString("scan_id"));

        // A browser that already has the terminal event is told not to reconnect (204).
        SseClient third = f.sse("/api/v1/scans/" + scan.id() + "/events?access_token=" + token + "&last_event_id=" + (total + 1), null);
        assertEquals(204, third.status());
    }

    private static void produce(Scan scan, int total, AtomicInteger issued, AtomicInteger stored, Promise<Void> done) {
        if (issued.incrementAndGet() > total) {
            return;
        }
        f.progress.report(scan, ScanEvent.Type.PROGRESS, "step").onComplete(r -> {
            if (stored.incrementAndGet() == total) {
                f.store.scans().cancel(scan.clientId(), scan.id())
                        .compose(c -> f.progress.report(c.orElseThrow(), ScanEvent.Type.STATE, "cancelled by test"))
                        .onComplete(done);
            } else {
                f.vertx.setTimer(8, t -> produce(scan, total, issued, stored, done));
            }
        });
    }

    @Test
    void catchUpOfAFinishedScanByQueryTokenOrAsPlatformAdmin() throws Exception {
        Scan scan = await(f.store.scans().create("acme", "brand-b"));
        for (int i = 0; i < 95; i++) { // more than two catch-up pages
            await(f.progress.report(scan, ScanEvent.Type.PROGRESS, "p" + i));
        }
        Scan failed = await(f.store.scans().fail("acme", scan.id(), "test failure")).orElseThrow();
        await(f.progress.report(failed, ScanEvent.Type.STATE, "failed"));

        SseClient byQuery = f.sse("/api/v1/scans/" + scan.id() + "/events?access_token=" + f.tokens.viewer("acme"), null);
        assertEquals(200, byQuery.status());
        assertEquals("end", byQuery.ended.get(30, TimeUnit.SECONDS));
        assertEquals(LongStream.rangeClosed(1, 96).boxed().toList(), byQuery.ids());
        assertTrue(byQuery.body().startsWith("retry: "), "tells EventSource how soon to reconnect");
        assertTrue(byQuery.body().contains("id: 96\nevent: state\ndata: {"), byQuery.body());

        SseClient admin = f.sse("/api/v1/scans/" + scan.id() + "/events?client_id=acme&last_event_id=90",
                MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + Tokens.ADMIN_TOKEN));
        assertEquals(200, admin.status());
        assertEquals("end", admin.ended.get(30, TimeUnit.SECONDS));
        assertEquals(List.of(91L, 92L, 93L, 94L, 95L, 96L), admin.ids());
    }

    @Test
    void refusesWithoutTokenExpiredTokenOtherClientAndBadIds() throws Exception {
        Scan scan = await(f.store.scans().create("acme", "brand-c"));
        String path = "/api/v1/scans/" + scan.id() + "/events";
        assertEquals(401, f.sse(path, null).status(), "no token");
        assertEquals(401, f.sse(path + "?access_token=" + f.tokens.expired("acme"), null).status(), "expired token");
        assertEquals(401, f.sse(path, MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer garbage")).status());
        assertEquals(401, f.sse(path + "?access_token=" + new Tokens(f.vertx, "another-secret-another-secret-another-00")
                .viewer("acme"), null).status(), "token signed with another secret");
        SseClient other = f.sse(path + "?access_token=" + f.tokens.viewer("globex"), null);
        assertEquals(404, other.status(), "another client's scan looks missing");
        other.ended.get(10, TimeUnit.SECONDS);
        assertTrue(other.body().contains("\"not_found\""), other.body());
        assertEquals(404, f.sse("/api/v1/scans/no-such-scan/events?access_token=" + f.tokens.viewer("acme"), null).status());
        assertEquals(404, f.sse(path + "?access_token=" + Tokens.ADMIN_TOKEN, null).status(),
                "a platform admin must name the client");
        assertEquals(400, f.sse(path + "?last_event_id=-3&access_token=" + f.tokens.viewer("acme"), null).status());
        assertEquals(400, f.sse(path, MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + f.tokens.viewer("acme"))
                .add("Last-Event-ID", "abc")).status());
    }

    @Test
    void liveEventsArriveInOrderAndHeartbeatsKeepTheStreamOpen() throws Exception {
        Scan scan = await(f.store.scans().create("acme", "brand-d"));
        SseClient sse = f.sse("/api/v1/scans/" + scan.id() + "/events?access_token=" + f.tokens.viewer("acme"), null);
        assertEquals(200, sse.status());
        waitUntil(() -> sse.body().contains(": heartbeat"), "a heartbeat comment");
        // Published out of order and with a repeat, straight on the bus (as two racing workers would).
        f.context.runOnContext(v -> {
            for (long seq : new long[] {2, 1, 3, 2, 5, 4}) {
                f.vertx.eventBus().publish(Addresses.SCAN_PROGRESS, event("acme", scan.id(), seq, "progress", "gathering"));
            }
            // Another scan's and another client's events never reach this stream.
            f.vertx.eventBus().publish(Addresses.SCAN_PROGRESS, event("acme", "other-scan", 6, "progress", "gathering"));
            f.vertx.eventBus().publish(Addresses.SCAN_PROGRESS, event("globex", scan.id(), 6, "progress", "gathering"));
        });
        waitUntil(() -> sse.events.size() >= 5, "5 live events");
        Thread.sleep(200);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sse.ids());
        sse.drop();
    }

    @Test
    void aMissingSequenceIsReReadThenSkippedSoTheStreamNeverStalls() throws Exception {
        Scan scan = await(f.store.scans().create("acme", "brand-e"));
        SseClient sse = f.sse("/api/v1/scans/" + scan.id() + "/events?access_token=" + f.tokens.viewer("acme"), null);
        assertEquals(200, sse.status());
        long skippedBefore = f.counters.sequencesSkipped.get();
        f.context.runOnContext(v -> {
            for (long seq : new long[] {1, 3, 4}) { // 2 was numbered but never stored or published
                f.vertx.eventBus().publish(Addresses.SCAN_PROGRESS, event("acme", scan.id(), seq, "progress", "gathering"));
            }
        });
        waitUntil(() -> sse.events.size() >= 3, "events after the gap");
        assertEquals(List.of(1L, 3L, 4L), sse.ids());
        assertEquals(skippedBefore + 1, f.counters.sequencesSkipped.get());
        sse.drop();
    }

    @Test
    void aHoleInStoredHistoryIsSkippedDuringCatchUpWithoutDroppingTheStream() throws Exception {
        Scan scan = await(f.store.scans().create("acme", "brand-g"));
        for (int i = 0; i < 130; i++) { // over three catch-up pages of 40
            await(f.progress.report(scan, ScanEvent.Type.PROGRESS, "p" + i));
        }
        Scan done = await(f.store.scans().cancel("acme", scan.id())).orElseThrow();
        await(f.progress.report(done, ScanEvent.Type.STATE, "cancelled"));
        // seq 10 and 50 were numbered but their documents never landed
        await(f.raw.removeDocuments("scan_events", new JsonObject().put("scan_id", scan.id())
                .put("seq", new JsonObject().put("$in", new io.vertx.core.json.JsonArray().add(10).add(50)))));
        long skippedBefore = f.counters.sequencesSkipped.get();
        long overflowBefore = f.counters.droppedOverflow.get();

        SseClient sse = f.sse("/api/v1/scans/" + scan.id() + "/events?access_token=" + f.tokens.viewer("acme"), null);
        assertEquals(200, sse.status());
        assertEquals("end", sse.ended.get(30, TimeUnit.SECONDS));
        List<Long> expected = LongStream.rangeClosed(1, 131).filter(s -> s != 10 && s != 50).boxed().toList();
        assertEquals(expected, sse.ids());
        assertEquals(skippedBefore + 2, f.counters.sequencesSkipped.get());
        assertEquals(overflowBefore, f.counters.droppedOverflow.get());
    }

    @Test
    void aSlowReaderIsDroppedInsteadOfBuffered() throws Exception {
        Scan scan = await(f.store.scans().create("acme", "brand-f"));
        SseClient sse = f.sse("/api/v1/scans/" + scan.id() + "/events?access_token=" + f.tokens.viewer("acme"), null);
        assertEquals(200, sse.status());
        waitUntil(() -> sse.body().startsWith("retry:"), "the stream to start");
        sse.pause(); // the browser stops reading; TCP and then the server's write queue fill up
        long droppedBefore = f.counters.droppedSlow.get();
        String big = "x".repeat(16 * 1024);
        AtomicInteger seq = new AtomicInteger();
        long timer = f.vertx.setPeriodic(5, id -> {
            for (int i = 0; i < 20 && seq.get() < 4000; i++) {
                f.vertx.eventBus().publish(Addresses.SCAN_PROGRESS,
                        event("acme", scan.id(), seq.incrementAndGet(), "progress", "acquiring").put("detail", big));
            }
        });
        try {
            waitUntil(() -> f.counters.droppedSlow.get() > droppedBefore, "the slow stream to be dropped");
        } finally {
            f.vertx.cancelTimer(timer);
        }
        assertTrue(seq.get() < 4000, "dropped before every event was pushed");
        sse.resume(); // reading again, the browser finds its connection closed and would reconnect
        sse.ended.get(30, TimeUnit.SECONDS);
        long lastReceived = sse.events.isEmpty() ? 0 : sse.events.get(sse.events.size() - 1).id();
        assertTrue(lastReceived < seq.get(), "events after the drop were not buffered for it");
    }

    static JsonObject event(String clientId, String scanId, long seq, String type, String state) {
        return new JsonObject().put("client_id", clientId).put("scan_id", scanId).put("seq", seq).put("type", type)
                .put("state", state).put("counts", new JsonObject()).put("detail", "").put("at", "2026-11-22T10:00:00Z");
    }
}
