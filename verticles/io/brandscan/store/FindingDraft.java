package io.brandscan.store;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What the AI phase hands over for one scored listing: its url, the score in [0, 1] with its
 * breakdown, and the listing snapshot to keep beside it.
 */
public record FindingDraft(String url, double score, JsonObject breakdown, JsonObject listing) {
    public FindingDraft {
        Objects.requireNonNull(url, "url");
        if (!Double.isFinite(score) || score < 0 || score > 1) {
            throw new IllegalArgumentException("finding score must be in [0, 1], got " + score);
        }
        breakdown = breakdown == null ? new JsonObject() : breakdown.copy();
        listing = listing == null ? new JsonObject() : listing.copy();
    }
}
