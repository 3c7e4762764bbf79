package io.brandscan.push;

import io.brandscan.bus.Addresses;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.brandscan.push.PushSseTest.event;
import static io.brandscan.push.SseClient.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SockJS event-bus bridge and the per-client forwarder over a real push verticle, spoken to
 * with raw WebSocket frames (the bridge's JSON protocol) on {@code /eventbus/websocket}.
 */
class PushBridgeTest {
    private static PushFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new PushFixture("push_bridge", new JsonObject().put("max_events_per_second", 10)
                .put("write_queue_max_bytes", 4096));
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aBrowserReceivesItsOwnClientsEventsAndIsRefusedAnotherClientsAddress() throws Exception {
        BridgeSocket acme = BridgeSocket.connect(f.vertx, f.context, f.port, "access_token=" + f.tokens.viewer("acme"));
        acme.register(Addresses.clientScans("acme"), null);
        acme.register(Addresses.clientScans("globex"), null);
        acme.register(Addresses.REGISTRY_PROGRESS, null);
        // a token in the register headers for another client than the connection's speaks for that client only
        acme.register(Addresses.clientScans("initech"), new JsonObject().put("access_token", f.tokens.viewer("umbrella")));
        waitUntil(() -> acme.of("err").size() >= 3, "three refusals");

        AtomicLong seq = new AtomicLong();
        long timer = f.vertx.setPeriodic(20, id -> {
            long s = seq.incrementAndGet();
            // state events pass the coalescer at once
            f.vertx.eventBus().publish(Addresses.SCAN_PROGRESS, event("acme", "scan-a", s, "state", "acquiring"));
            f.vertx.eventBus().publish(Addresses.SCAN_PROGRESS, event("globex", "scan-g", s, "state", "acquiring"));
            f.vertx.eventBus().publish(Addresses.SCAN_PROGRESS, event("initech", "scan-i", s, "state", "acquiring"));
            f.vertx.eventBus().publish(Addresses.REGISTRY_PROGRESS, new JsonObject().put("type", "progress"));
        });
        try {
            waitUntil(() -> acme.of("rec").size() >= 5, "five of acme's own events");
        } finally {
            f.vertx.cancelTimer(timer);
        }
        Thread.sleep(200);
        for (JsonObject rec : acme.of("rec")) {
            assertEquals(Addresses.clientScans("acme"), rec.getString("address"), rec.encode());
            assertEquals("acme", rec.getJsonObject("body").getString("client_id"));
        }
        assertEquals(3, acme.of("err").size(), acme.received.toString());
        assertTrue(acme.of("err").stream().allMatch(e -> "rejected".equals(e.getString("body"))), acme.received.toString());
        acme.close();
    }

    @Test
    void withoutAValidTokenNothingCanBeRegistered() throws Exception {
        BridgeSocket anonymous = BridgeSocket.connect(f.vertx, f.context, f.port, null);
        anonymous.register(Addresses.clientScans("acme"), null);
        anonymous.register(Addresses.clientScans("acme"), new JsonObject().put("access_token", f.tokens.expired("acme")));
        anonymous.register(Addresses.clientScans("acme"), new JsonObject().put("Authorization", "Bearer nonsense"));
        waitUntil(() -> anonymous.of("err").size() >= 3, "three refusals");
        // with a good token in the headers the same socket may listen to that token's client
        anonymous.register(Addresses.clientScans("acme"), new JsonObject().put("Authorization", "Bearer " + f.tokens.analystOf("acme")));
        AtomicLong seq = new AtomicLong(1000);
        long timer = f.vertx.setPeriodic(20, id ->
                f.vertx.eventBus().publish(Addresses.SCAN_PROGRESS, event("acme", "scan-h", seq.incrementAndGet(), "state", "scoring")));
        try {
            waitUntil(() -> !anonymous.of("rec").isEmpty(), "an event after a good register");
        } finally {
            f.vertx.cancelTimer(timer);
        }
        anonymous.close();

        BridgeSocket badQuery = BridgeSocket.connect(f.vertx, f.context, f.port, "access_token=" + f.tokens.expired("acme"));
        badQuery.closed.get(10, TimeUnit.SECONDS); // a bad token on the connection closes it at once
    }

    @Test
    void inboundSendAndPublishAreRefusedAndNeverReachTheBus() throws Exception {
        List<JsonObject> onBus = new CopyOnWriteArrayList<>();
        f.onContext(() -> f.vertx.eventBus().<JsonObject>consumer(Addresses.SCAN_PROGRESS, m -> {
            if (m.body().containsKey("from_browser")) {
                onBus.add(m.body());
            }
        }).completion());
        long refusedBefore = f.counters.inboundRefused.get();
        BridgeSocket admin = BridgeSocket.connect(f.vertx, f.context, f.port, "access_token=" + Tokens.ADMIN_TOKEN);
        JsonObject body = new JsonObject().put("from_browser", true);
        admin.write(new JsonObject().put("type", "publish").put("address", Addresses.SCAN_PROGRESS).put("body", body));
        admin.write(new JsonObject().put("type", "send").put("address", Addresses.SCAN_PROGRESS).put("body", body));
        admin.write(new JsonObject().put("type", "publish").put("address", Addresses.clientScans("acme")).put("body", body));
        admin.write(new JsonObject().put("type", "send").put("address", Addresses.REGISTRY_COMMANDS).put("body", body)
                .put("replyAddress", "r1"));
        waitUntil(() -> admin.of("err").size() >= 4, "four refusals");
        Thread.sleep(200);
        assertEquals(List.of(), onBus);
        assertEquals(refusedBefore + 4, f.counters.inboundRefused.get());

        // the platform admin may listen to the registry's operator feed
        admin.register(Addresses.REGISTRY_PROGRESS, null);
        long timer = f.vertx.setPeriodic(20, id ->
                f.vertx.eventBus().publish(Addresses.REGISTRY_PROGRESS, new JsonObject().put("type", "progress").put("brand", "b")));
        try {
            waitUntil(() -> !admin.of("rec").isEmpty(), "registry progress for the admin");
        } finally {
            f.vertx.cancelTimer(timer);
        }
        assertEquals(Addresses.REGISTRY_PROGRESS, admin.of("rec").get(0).getString("address"));
        admin.close();
    }

    @Test
    void progressIsCoalescedPerScanWhileStateChangesAlwaysPass() throws Exception {
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        f.onContext(() -> f.vertx.eventBus().<JsonObject>consumer(Addresses.clientScans("initech"),
                m -> received.add(m.body())).completion());
        long startNanos = System.nanoTime();
        f.context.runOnContext(v -> {
            for (long s = 1; s <= 200; s++) {
                String type = s == 101 ? "state" : "progress";
                f.vertx.eventBus().publish(Addresses.SCAN_PROGRESS, event("initech", "scan-c", s, type, "acquiring"));
            }
        });
        waitUntil(() -> received.stream().anyMatch(e -> e.getLong("seq") == 200), "the burst's last event");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        List<Long> seqs = received.stream().map(e -> e.getLong("seq")).toList();
        // 10 per second: one per 100 ms slot, plus the first, plus the state change
        assertTrue(seqs.size() <= elapsedMs / 100 + 3, "forwarded " + seqs + " in " + elapsedMs + " ms");
        assertTrue(seqs.contains(101L), "the state change passed: " + seqs);
        assertEquals(200L, seqs.get(seqs.size() - 1));
        assertTrue(f.counters.eventsCoalesced.get() >= 150, "held back: " + f.counters.eventsCoalesced.get());
    }

    @Test
    void aSlowBrowserSocketIsDroppedInsteadOfBuffered() throws Exception {
        BridgeSocket slow = BridgeSocket.connect(f.vertx, f.context, f.port, "access_token=" + f.tokens.viewer("slowco"));
        slow.register(Addresses.clientScans("slowco"), null);
        AtomicInteger sent = new AtomicInteger();
        String big = "y".repeat(16 * 1024);
        long probe = f.vertx.setPeriodic(20, id ->
                f.vertx.eventBus().publish(Addresses.clientScans("slowco"), new JsonObject().put("probe", true)));
        try {
            waitUntil(() -> !slow.of("rec").isEmpty(), "the registration to take");
        } finally {
            f.vertx.cancelTimer(probe);
        }
        slow.pause();
        long droppedBefore = f.counters.droppedSlow.get();
        long flood = f.vertx.setPeriodic(5, id -> {
            for (int i = 0; i < 20 && sent.get() < 4000; i++) {
                sent.incrementAndGet();
                f.vertx.eventBus().publish(Addresses.clientScans("slowco"), new JsonObject().put("detail", big));
            }
        });
        try {
            waitUntil(() -> f.counters.droppedSlow.get() > droppedBefore, "the slow socket to be dropped");
        } finally {
            f.vertx.cancelTimer(flood);
        }
        assertTrue(sent.get() < 4000, "dropped before the flood ended");
        slow.resume();
        slow.closed.get(30, TimeUnit.SECONDS);
    }
}
