package io.brandscan.push;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The SSE streams of one push verticle, by scan: one event-bus consumer per verticle feeds every
 * stream through here, so a thousand streams cost one subscription, and a stream sees only its
 * own scan's events. Owned by the verticle's event loop (no locks).
 */
final class LiveScans {
    private final Map<String, List<Consumer<JsonObject>>> byScan = new HashMap<>();

    /** Subscribes {@code listener} to one scan's events; run the returned action to unsubscribe. */
    Runnable subscribe(String clientId, String scanId, Consumer<JsonObject> listener) {
        String key = key(clientId, scanId);
        byScan.computeIfAbsent(key, k -> new ArrayList<>(1)).add(listener);
        return () -> {
            List<Consumer<JsonObject>> listeners = byScan.get(key);
            if (listeners != null && listeners.remove(listener) && listeners.isEmpty()) {
                byScan.remove(key);
            }
        };
    }

    /** Hands one progress event (the {@code ScanProgress.toJson} shape) to its scan's streams. */
    void dispatch(JsonObject event) {
        String clientId = event.getString("client_id");
        String scanId = event.getString("scan_id");
        if (clientId == null || scanId == null) {
            return;
        }
        List<Consumer<JsonObject>> listeners = byScan.get(key(clientId, scanId));
        if (listeners != null) {
            // A listener may unsubscribe (end its stream) while we iterate.
            for (Consumer<JsonObject> l : List.copyOf(listeners)) {
                l.accept(event);
            }
        }
    }

    int scans() {
        return byScan.size();
    }

    private static String key(String clientId, String scanId) {
        return clientId + '\u0000' + scanId;
    }
}
