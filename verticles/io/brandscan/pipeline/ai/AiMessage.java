package io.brandscan.pipeline.ai;

import io.brandscan.scan.BatchKey;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One {@code brand-ai-phase-queue} message (PIPELINE.md): score the committed batch {@code batch}
 * of scan {@code scan_id} of client {@code client_id}. Parsing refuses a body whose batch key
 * names another client or scan, so a malformed or forged message never touches a scan.
 */
public record AiMessage(String clientId, String scanId, BatchKey batch) {

    public AiMessage {
        if (!batch.clientId().equals(clientId) || !batch.scanId().equals(scanId)) {
            throw new IllegalArgumentException("batch " + batch + " is not scan " + clientId + "/" + scanId);
        }
    }

    /** Parses a message body; anything malformed is an {@link IllegalArgumentException} (a poison message). */
    public static AiMessage parse(String body) {
        JsonObject json;
        try {
            json = new JsonObject(body == null ? "" : body);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("ai message is not a JSON object: " + e.getMessage());
        }
        Object client = json.getValue("client_id");
        Object scan = json.getValue("scan_id");
        Object batch = json.getValue("batch");
        if (!(client instanceof String c) || !(scan instanceof String s) || !(batch instanceof String b)) {
            throw new IllegalArgumentException("ai message needs string client_id, scan_id and batch");
        }
        return new AiMessage(c, s, BatchKey.parse(b));
    }

    public String toBody() {
        return new JsonObject().put("client_id", clientId).put("scan_id", scanId).put("batch", batch.toString()).encode();
    }
}
