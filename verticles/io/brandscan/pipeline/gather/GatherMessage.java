package io.brandscan.pipeline.gather;

import io.brandscan.scan.ScanIds;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One {@code brand-gather-queue} message: {@code {"client_id": "...", "scan_id": "..."}}
 * (PIPELINE.md). A body that is not such an object is an {@link IllegalArgumentException}.
 */
public record GatherMessage(String clientId, String scanId) {
    public GatherMessage {
        ScanIds.requireValid("client_id", clientId);
        ScanIds.requireValid("scan_id", scanId);
    }

    public static GatherMessage parse(String body) {
        JsonObject json;
        try {
            json = new JsonObject(body == null ? "" : body);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("gather message is not a JSON object");
        }
        Object client = json.getValue("client_id");
        Object scan = json.getValue("scan_id");
        if (!(client instanceof String c) || !(scan instanceof String s)) {
            throw new IllegalArgumentException("gather message needs string client_id and scan_id");
        }
        return new GatherMessage(c, s);
    }

    public String toBody() {
        return new JsonObject().put("client_id", clientId).put("scan_id", scanId).encode();
    }
}
