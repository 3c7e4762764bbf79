package io.brandscan.store;

import io.brandscan.scan.ReviewStatus;
import io.brandscan.scan.ScanIds;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * A scored listing of a scan, as stored: the score, its breakdown (why: image, text, price,
 * seller parts, as the scorer reports them), a snapshot of the listing (title, image_url, price,
 * seller...) for review and takedown export, and the review status, {@code open} until a
 * reviewer acts. The id is {@link ScanIds#finding} of (client, scan, url).
 */
public record Finding(String id, String clientId, String scanId, String listingId, String url, double score,
                      JsonObject breakdown, JsonObject listing, ReviewStatus reviewStatus,
                      Instant createdAt, Instant updatedAt) {
    public Finding {
        Objects.requireNonNull(id, "id");
        ScanIds.requireValid("client_id", clientId);
        ScanIds.requireValid("scan_id", scanId);
        Objects.requireNonNull(url, "url");
        breakdown = breakdown == null ? new JsonObject() : breakdown;
        listing = listing == null ? new JsonObject() : listing;
        reviewStatus = reviewStatus == null ? ReviewStatus.OPEN : reviewStatus;
    }

    public String title() {
        return listing.getString("title");
    }

    public String imageUrl() {
        return listing.getString("image_url");
    }

    /** The API and export shape: {@code id}, {@code url}, {@code title}, {@code image_url}, {@code score}, {@code breakdown}... */
    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("scan_id", scanId).put("listing_id", listingId).put("url", url)
                .put("title", title()).put("image_url", imageUrl()).put("score", score).put("breakdown", breakdown)
                .put("listing", listing).put("review_status", reviewStatus.wireName())
                .put("created_at", createdAt == null ? null : createdAt.toEpochMilli())
                .put("updated_at", updatedAt == null ? null : updatedAt.toEpochMilli());
    }
}
