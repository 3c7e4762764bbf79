package io.brandscan.pipeline.acquire;

import io.brandscan.scan.BatchKey;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One {@code url-process-queue} message (PIPELINE.md): the scan, the registry batch key of its
 * gather attempt, and the listing whose image to acquire. Owns the check that a body is one,
 * so a malformed message is refused before any work is done for it.
 *
 * @param listing the listing as gather sent it ({@code url}, {@code title}, {@code price},
 *                {@code currency}, {@code seller}, {@code image_url}); treat as read-only
 */
public record UrlJob(String clientId, String scanId, BatchKey batch, JsonObject listing) {

    public UrlJob {
        if (!batch.clientId().equals(clientId) || !batch.scanId().equals(scanId)) {
            throw new IllegalArgumentException("batch " + batch + " is not scan " + clientId + "/" + scanId);
        }
        if (listing == null || blank(listing.getValue("url")) || blank(listing.getValue("image_url"))) {
            throw new IllegalArgumentException("listing needs a url and an image_url");
        }
    }

    /** Parses a message body; anything that is not a url job is an {@link IllegalArgumentException}. */
    public static UrlJob parse(String body) {
        JsonObject json;
        try {
            json = new JsonObject(body == null ? "" : body);
        } catch (DecodeException e) {
            throw new IllegalArgumentException("url job is not a JSON object: " + e.getMessage());
        }
        try {
            Object listing = json.getValue("listing");
            if (!(listing instanceof JsonObject l)) {
                throw new IllegalArgumentException("url job has no listing object");
            }
            return new UrlJob(json.getString("client_id"), json.getString("scan_id"),
                    BatchKey.parse(json.getString("batch")), l);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("url job field has the wrong type: " + e.getMessage());
        }
    }

    public String url() {
        return listing.getString("url");
    }

    public String imageUrl() {
        return listing.getString("image_url");
    }

    /** The message body gather sends for a listing. */
    public JsonObject toJson() {
        return new JsonObject().put("client_id", clientId).put("scan_id", scanId).put("batch", batch.toString())
                .put("listing", listing.copy());
    }

    private static boolean blank(Object value) {
        return !(value instanceof String s) || s.isBlank();
    }
}
