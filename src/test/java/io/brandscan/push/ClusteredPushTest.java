package io.brandscan.push;

import io.brandscan.bus.Addresses;
import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.launcher.GroupConfig;
import io.brandscan.launcher.PushGroup;
import io.brandscan.launcher.VertxFactory;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanEvent;
import io.brandscan.store.ScanStore;
import io.brandscan.store.StoreSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.brandscan.push.PushFixture.await;
import static io.brandscan.push.SseClient.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events cross machines: two Vert.x nodes in one Hazelcast cluster on loopback, each running the
 * push group; a worker on node A persists and publishes a scan's events; a browser on node B's
 * SSE stream gets every one, and its bridge socket gets each state change exactly once (the
 * forwarders' copies are node-local, so two push nodes do not double them).
 */
class ClusteredPushTest {
    @Test
    void progressPublishedOnOneNodeReachesBrowsersOnAnotherExactlyOnce() throws Exception {
        int[] ports = freePorts(4);
        String cluster = "brandscan-push-test-" + ports[0];
        JsonArray members = new JsonArray().add("127.0.0.1:" + ports[2]).add("127.0.0.1:" + ports[3]);
        try (DevServices services = DevServices.start(new DevServicesSettings(false, 0, false, 0, null, "k", "s", true, 0, null))) {
            JsonObject mongo = services.adapterConfig().getJsonObject("mongo").copy().put("db_name", "push_cluster");
            // Both members start at once: each waits for the other while joining.
            var joinA = VertxFactory.create(conf(ports[0], ports[2], cluster, members, mongo), true);
            var joinB = VertxFactory.create(conf(ports[1], ports[3], cluster, members, mongo), true);
            Vertx a = joinA.await(90, TimeUnit.SECONDS);
            Vertx b = joinB.await(90, TimeUnit.SECONDS);
            try {
                new PushGroup().deploy(a, conf(ports[0], ports[2], cluster, members, mongo), null).await(60, TimeUnit.SECONDS);
                new PushGroup().deploy(b, conf(ports[1], ports[3], cluster, members, mongo), null).await(60, TimeUnit.SECONDS);
                ScanStore store = await(ScanStore.over(MongoConnection.client(a, mongo.copy().put("pool_name", "worker")),
                        StoreSettings.DEFAULTS, Clock.systemUTC()));
                ScanProgress worker = new ScanProgress(a, store.scans(), Clock.systemUTC());
                Scan scan = await(store.scans().create("acme", "brand-x"));
                Tokens tokens = new Tokens(b);

                var context = b.getOrCreateContext();
                SseClient sse = SseClient.open(b.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                        .setDefaultPort(ports[1])), context, "/api/v1/scans/" + scan.id() + "/events?access_token="
                        + tokens.viewer("acme"), null);
                assertEquals(200, sse.status());
                BridgeSocket socket = BridgeSocket.connect(b, context, ports[1], "access_token=" + tokens.viewer("acme"));
                socket.register(Addresses.clientScans("acme"), null);
                Thread.sleep(500); // let the registration land before the first publish

                for (int i = 0; i < 20; i++) {
                    await(worker.report(scan, i % 5 == 0 ? ScanEvent.Type.STATE : ScanEvent.Type.PROGRESS, "step " + i));
                }
                Scan cancelled = await(store.scans().cancel("acme", scan.id())).orElseThrow();
                await(worker.report(cancelled, ScanEvent.Type.STATE, "cancelled"));

                assertEquals("end", sse.ended.get(60, TimeUnit.SECONDS));
                assertEquals(LongStream.rangeClosed(1, 21).boxed().toList(), sse.ids());
                waitUntil(() -> socket.of("rec").stream().anyMatch(r -> r.getJsonObject("body").getLong("seq") == 21),
                        "the terminal event on the bridge");
                Thread.sleep(300);
                List<Long> seqs = socket.of("rec").stream().map(r -> r.getJsonObject("body").getLong("seq")).toList();
                for (long state : new long[] {1, 6, 11, 16, 21}) {
                    assertEquals(1, seqs.stream().filter(s -> s == state).count(), "state event " + state + " once: " + seqs);
                }
                assertEquals(seqs.size(), seqs.stream().distinct().count(), "no event twice: " + seqs);
                assertTrue(socket.of("err").isEmpty(), socket.received.toString());
                await(store.close());
            } finally {
                b.close().await(60, TimeUnit.SECONDS);
                a.close().await(60, TimeUnit.SECONDS);
            }
        }
    }

    private static JsonObject conf(int httpPort, int hazelcastPort, String cluster, JsonArray members, JsonObject mongo) {
        return GroupConfig.load("push", new JsonObject()
                .put("push", new JsonObject().put("host", "127.0.0.1").put("port", httpPort)
                        .put("jwt_secret", Tokens.SECRET))
                .put("mongo", mongo.copy().put("pool_name", "push-" + httpPort))
                .put("cluster", new JsonObject().put("name", cluster).put("host", "127.0.0.1").put("port", hazelcastPort)
                        .put("members", members))
                .encode(), Map.of());
    }

    private static int[] freePorts(int n) throws Exception {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }
}
