package io.brandscan.push;

import io.brandscan.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The SockJS bridge's gatekeeper (its bridge event handler): owns which socket speaks for whom.
 * Browsers only listen: every {@code send} and {@code publish} frame is refused. A socket may
 * register only {@code brandscan.client.<its client_id>.scans}, or, for a platform admin,
 * {@code brandscan.registry.progress}; anything else is refused with an error frame. The token
 * comes from the register frame's headers ({@code access_token}, or {@code Authorization:
 * Bearer ...}) or from the SockJS connection's query string ({@code ?access_token=}, checked
 * when the socket is created: a bad one closes it at once). Each socket's write queue is bounded;
 * an outbound message finding it full closes the socket (counted) instead of buffering.
 */
final class BridgeGuard implements Handler<BridgeEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeGuard.class);

    private final TokenVerifier verifier;
    private final PushSettings settings;
    private final PushCounters counters;
    /** The principal each socket authenticated with from its query string; bounded by open sockets. */
    private final Map<SockJSSocket, Principal> principals = new HashMap<>();

    BridgeGuard(TokenVerifier verifier, PushSettings settings, PushCounters counters) {
        this.verifier = verifier;
        this.settings = settings;
        this.counters = counters;
    }

    @Override
    public void handle(BridgeEvent event) {
        BridgeEventType type = event.type();
        SockJSSocket socket = event.socket();
        switch (type) {
            case SOCKET_CREATED -> socketCreated(event, socket);
            case SOCKET_CLOSED -> {
                principals.remove(socket);
                event.complete(true);
            }
            case SEND, PUBLISH -> {
                counters.inboundRefused.incrementAndGet();
                event.complete(false);
            }
            case REGISTER -> register(event, socket);
            case RECEIVE -> receive(event, socket);
            default -> event.complete(true);
        }
    }

    private void socketCreated(BridgeEvent event, SockJSSocket socket) {
        socket.setWriteQueueMaxSize(settings.writeQueueMaxBytes());
        String token = queryToken(socket.uri());
        if (token == null) {
            event.complete(true); // the token may come with each register frame
            return;
        }
        verifier.verify(token).onComplete(verified -> {
            if (verified.succeeded()) {
                principals.put(socket, verified.result());
                event.complete(true);
            } else {
                LOG.info("bridge socket refused: {}", verified.cause().getMessage());
                event.complete(false);
            }
        });
    }

    private void register(BridgeEvent event, SockJSSocket socket) {
        JsonObject raw = event.getRawMessage();
        String address = raw == null ? null : raw.getString("address");
        String token = headerToken(raw == null ? null : raw.getJsonObject("headers"));
        Future<Principal> who;
        if (token != null) {
            who = verifier.verify(token);
        } else if (principals.containsKey(socket)) {
            who = Future.succeededFuture(principals.get(socket));
        } else {
            who = Future.failedFuture(new InvalidTokenException("no token"));
        }
        who.onComplete(verified -> {
            boolean allowed = verified.succeeded() && mayRegister(verified.result(), address);
            if (!allowed) {
                counters.registersRefused.incrementAndGet();
                LOG.info("bridge register refused address={} client_id={} reason={}", address,
                        verified.succeeded() ? verified.result().clientId() : null,
                        verified.succeeded() ? "not its address" : verified.cause().getMessage());
            }
            event.complete(allowed);
        });
    }

    /** The one rule of who may listen where. */
    static boolean mayRegister(Principal principal, String address) {
        if (address == null) {
            return false;
        }
        if (principal.isPlatformAdmin() && Addresses.REGISTRY_PROGRESS.equals(address)) {
            return true;
        }
        return principal.clientId() != null && Addresses.clientScans(principal.clientId()).equals(address);
    }

    private void receive(BridgeEvent event, SockJSSocket socket) {
        if (socket.writeQueueFull()) {
            counters.droppedSlow.incrementAndGet();
            Principal p = principals.get(socket);
            LOG.info("bridge socket dropped (slow reader) client_id={}", p == null ? null : p.clientId());
            event.complete(false);
            socket.close();
            return;
        }
        event.complete(true);
    }

    static String queryToken(String uri) {
        if (uri == null) {
            return null;
        }
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("access_token")) {
                String value = java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                return value.isBlank() ? null : value;
            }
        }
        return null;
    }

    static String headerToken(JsonObject headers) {
        if (headers == null) {
            return null;
        }
        Object direct = headers.getValue("access_token");
        if (direct instanceof String s && !s.isBlank()) {
            return s;
        }
        for (String name : headers.fieldNames()) {
            if (name.equalsIgnoreCase("authorization") && headers.getValue(name) instanceof String v) {
                return bearer(v);
            }
        }
        return null;
    }

    /** The token of an {@code Authorization: Bearer <token>} value, or null. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = h.substring(7).trim();
            return t.isEmpty() ? null : t;
        }
        return null;
    }
}
