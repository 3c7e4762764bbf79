package io.brandscan.api;

import io.brandscan.scan.ReviewStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Reviewers' decisions on findings and their audit trail. A decision sets the finding's
 * {@code review_status} (with {@code reviewed_by}, {@code reviewed_at}) in the {@code findings}
 * collection and appends one document to {@code finding_reviews}: {@code client_id},
 * {@code finding_id}, {@code scan_id}, {@code decision}, {@code note}, {@code by} (the caller's
 * subject), {@code role}, {@code at}. The trail is append-only: nothing here updates or deletes it.
 * The AI phase writes {@code review_status} only on insert, so a re-scored finding keeps its review.
 */
public final class Reviews {
    static final String FINDINGS = "findings";
    static final String REVIEWS = "finding_reviews";

    private final MongoClient mongo;
    private final Clock clock;
    private final int trailMax;

    public Reviews(MongoClient mongo, Clock clock, int trailMax) {
        this.mongo = Objects.requireNonNull(mongo, "mongo");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.trailMax = trailMax;
    }

    public Future<Void> createIndexes() {
        return mongo.createIndex(REVIEWS, new JsonObject().put("client_id", 1).put("finding_id", 1).put("at", 1)).mapEmpty();
    }

    /** Records the decision; false when the finding is missing or another client's. */
    public Future<Boolean> decide(Caller caller, String findingId, String scanId, ReviewStatus decision, String note) {
        long now = clock.millis();
        JsonObject query = new JsonObject().put("_id", findingId).put("client_id", caller.clientId());
        JsonObject update = new JsonObject().put("$set", new JsonObject().put("review_status", decision.wireName())
                .put("reviewed_by", caller.subject()).put("reviewed_at", now).put("updated_at", now));
        JsonObject entry = new JsonObject().put("_id", findingId + "/" + now + "/" + Accounts.randomHex(4))
                .put("client_id", caller.clientId()).put("finding_id", findingId).put("scan_id", scanId)
                .put("decision", decision.wireName()).put("note", note).put("by", caller.subject())
                .put("role", caller.role().wireName()).put("at", now);
        // The trail first: a decision whose audit entry could not be written must not take effect.
        return mongo.insert(REVIEWS, entry)
                .compose(id -> mongo.updateCollection(FINDINGS, query, update))
                .map(r -> r.getDocMatched() == 1);
    }

    /** The finding's trail, oldest first, at most {@code trailMax}. */
    public Future<List<JsonObject>> trail(String clientId, String findingId) {
        FindOptions options = new FindOptions().setSort(new JsonObject().put("at", 1).put("_id", 1)).setLimit(trailMax);
        return mongo.findWithOptions(REVIEWS, new JsonObject().put("client_id", clientId).put("finding_id", findingId), options)
                .map(docs -> docs.stream().map(d -> {
                    JsonObject v = d.copy();
                    v.remove("_id");
                    v.remove("client_id");
                    return v;
                }).toList());
    }

    /**
     * One page of a scan's findings, filtered and sorted ({@code -score}, {@code score},
     * {@code -created_at}), as the API shows them.
     */
    public Future<List<JsonObject>> findings(String clientId, String scanId, double minScore, ReviewStatus status,
                                             String sort, int offset, int limit) {
        JsonObject filter = new JsonObject().put("client_id", clientId).put("scan_id", scanId);
        if (minScore > 0) {
            filter.put("score", new JsonObject().put("$gte", minScore));
        }
        if (status != null) {
            filter.put("review_status", status.wireName());
        }
        JsonObject order = switch (sort == null ? "-score" : sort) {
            case "score" -> new JsonObject().put("score", 1).put("_id", 1);
            case "-created_at" -> new JsonObject().put("created_at", -1).put("_id", 1);
            default -> new JsonObject().put("score", -1).put("_id", 1);
        };
        return mongo.findWithOptions(FINDINGS, filter, new FindOptions().setSort(order).setSkip(offset).setLimit(limit))
                .map(docs -> docs.stream().map(Reviews::findingView).toList());
    }

    static JsonObject findingView(JsonObject doc) {
        JsonObject listing = doc.getJsonObject("listing", new JsonObject());
        return new JsonObject().put("id", doc.getString("_id")).put("scan_id", doc.getString("scan_id"))
                .put("url", doc.getString("url")).put("title", listing.getString("title"))
                .put("seller", listing.getValue("seller")).put("price", listing.getValue("price"))
                .put("currency", listing.getValue("currency")).put("image_url", listing.getString("image_url"))
                .put("score", doc.getValue("score")).put("review_status", doc.getString("review_status", "open"))
                .put("reviewed_by", doc.getString("reviewed_by")).put("reviewed_at", doc.getValue("reviewed_at"))
                .put("breakdown", doc.getJsonObject("breakdown")).put("created_at", doc.getValue("created_at"));
    }
}
