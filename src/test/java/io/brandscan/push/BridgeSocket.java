package io.brandscan.push;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A browser's event-bus bridge connection without a SockJS client: raw WebSocket frames on
 * {@code /eventbus/websocket} carrying the bridge's JSON protocol ({@code register},
 * {@code send}, {@code publish} out; {@code rec} and {@code err} back).
 */
final class BridgeSocket {
    final List<JsonObject> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Context context;
    private WebSocket ws;

    private BridgeSocket(Context context) {
        this.context = context;
    }

    static BridgeSocket connect(Vertx vertx, Context context, int port, String query) {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(4096)
                .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22));
        BridgeSocket socket = new BridgeSocket(context);
        Promise<WebSocket> p = Promise.promise();
        context.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                        .setURI("/eventbus/websocket" + (query == null ? "" : "?" + query)))
                .onSuccess(ws -> {
                    // The bridge answers in text or binary messages depending on the transport: take both.
                    ws.handler(buffer -> socket.received.add(new JsonObject(buffer.toString())));
                    ws.closeHandler(x -> socket.closed.complete(null));
                    socket.ws = ws;
                })
                .onComplete(p));
        p.future().await();
        return socket;
    }

    void register(String address, JsonObject headers) {
        JsonObject frame = new JsonObject().put("type", "register").put("address", address);
        if (headers != null) {
            frame.put("headers", headers);
        }
        write(frame);
    }

    void write(JsonObject frame) {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> ws.writeTextMessage(frame.encode()).onComplete(p));
        p.future().await();
    }

    void pause() {
        context.runOnContext(v -> ws.pause());
    }

    void resume() {
        context.runOnContext(v -> ws.resume());
    }

    void close() {
        context.runOnContext(v -> ws.close());
    }

    List<JsonObject> of(String type) {
        return received.stream().filter(m -> type.equals(m.getString("type"))).toList();
    }
}
