package io.brandscan.schedule;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The scheduling fields of the {@code brands} collection. The API owns the brand documents
 * ({@code client_id}, {@code brand_id}, {@code schedule} and the rest); this repository owns only
 * the fields the scheduler adds to them:
 *
 * <ul>
 * <li>{@code next_slot}: epoch milliseconds of the next slot to fire. Missing or null on a brand
 *     whose schedule type fires: not planned yet (the scheduler plans it). Null on a manual brand or
 *     one with a {@code schedule_error}: never fires.</li>
 * <li>{@code planned_for}: the description of the schedule {@code next_slot} was computed from;
 *     when it no longer matches the brand's schedule, the slot is re-planned instead of fired.</li>
 * <li>{@code last_slot}, {@code last_fired_at}, {@code missed_slots}: the last claimed slot.</li>
 * <li>{@code pending_start}: {@code {slot, claimed_at, missed_slots, schedule}} from the claim
 *     until the starter answers. One left behind longer than {@code start_lease_ms} means the
 *     scheduler that claimed it died in between; another one re-claims it and starts it again
 *     with the same {@link ScheduledScan#scanId()}.</li>
 * <li>{@code last_start}: {@code {slot, ok, error, at}}, what the scan starter said.</li>
 * <li>{@code schedule_error}: {@code {field, message}} for a stored schedule that is invalid; the
 *     brand stays parked until {@link #plan} (or an {@code $unset} of this field) is applied.</li>
 * </ul>
 *
 * <p>A slot is claimed by one conditional update of {@code next_slot} from the value read to the
 * next one: of several schedulers that read the same due slot, exactly one update matches.
 */
public final class BrandSchedules {
    public static final String CLIENT_ID = "client_id";
    public static final String BRAND_ID = "brand_id";
    public static final String SCHEDULE = "schedule";
    public static final String NEXT_SLOT = "next_slot";
    public static final String PLANNED_FOR = "planned_for";
    public static final String LAST_SLOT = "last_slot";
    public static final String LAST_FIRED_AT = "last_fired_at";
    public static final String MISSED_SLOTS = "missed_slots";
    public static final String LAST_START = "last_start";
    public static final String SCHEDULE_ERROR = "schedule_error";
    public static final String PENDING_START = "pending_start";

    private static final JsonObject FIELDS = new JsonObject().put(CLIENT_ID, 1).put(BRAND_ID, 1).put(SCHEDULE, 1)
            .put(NEXT_SLOT, 1).put(PLANNED_FOR, 1);

    private final MongoClient mongo;
    private final String collection;
    private final Clock clock;

    public BrandSchedules(MongoClient mongo, String collection, Clock clock) {
        this.mongo = mongo;
        this.collection = collection;
        this.clock = clock;
    }

    /** The index the due query walks. */
    public Future<Void> createIndexes() {
        return mongo.createIndex(collection, new JsonObject().put(NEXT_SLOT, 1)).mapEmpty();
    }

    /**
     * For the API, after it writes a brand's schedule: validates {@code schedule} and plans the
     * brand's first slot strictly after now (null schedule or manual: never). Fails with an
     * {@link InvalidScheduleException} naming the bad field, writing nothing. Returns the first
     * slot, empty for one that never fires or for a brand that does not exist for this client.
     */
    public Future<Optional<Instant>> plan(String clientId, String brandId, JsonObject schedule) {
        Schedule parsed;
        try {
            parsed = ScheduleJson.parse(schedule);
        } catch (InvalidScheduleException e) {
            return Future.failedFuture(e);
        }
        Optional<Instant> first = SlotPlan.first(parsed, clock.instant());
        JsonObject set = new JsonObject().put(NEXT_SLOT, first.map(Instant::toEpochMilli).orElse(null))
                .put(PLANNED_FOR, parsed.toString());
        JsonObject update = new JsonObject().put("$set", set).put("$unset", new JsonObject().put(SCHEDULE_ERROR, ""));
        return mongo.updateCollection(collection, new JsonObject().put(CLIENT_ID, clientId).put(BRAND_ID, brandId), update)
                .map(r -> r.getDocMatched() > 0 ? first : Optional.<Instant>empty());
    }

    /**
     * Brands with a schedule other than manual but no next slot: new, written without one, or
     * switched from manual to a firing type. Brands parked with a {@code schedule_error} wait for
     * {@link #plan}; manual ones are never matched, so neither is read again on every tick.
     */
    Future<List<BrandSlot>> unplanned(int limit) {
        return find(unplannedQuery(), new FindOptions().setLimit(limit));
    }

    private static JsonObject unplannedQuery() {
        // Anything but a manual or absent schedule, so a malformed one is read once and parked with
        // its error; {next_slot: null} matches a missing field as well as a null one.
        return new JsonObject().put(SCHEDULE, new JsonObject().put("$ne", null))
                .put(SCHEDULE + ".type", new JsonObject().put("$ne", Schedule.Type.MANUAL.wireName()))
                .putNull(NEXT_SLOT)
                .put(SCHEDULE_ERROR, new JsonObject().put("$exists", false));
    }

    /** Brands whose next slot is at or before {@code now}, oldest first. */
    Future<List<BrandSlot>> due(Instant now, int limit) {
        JsonObject query = new JsonObject().put(NEXT_SLOT, new JsonObject().put("$lte", now.toEpochMilli()));
        return find(query, new FindOptions().setSort(new JsonObject().put(NEXT_SLOT, 1)).setLimit(limit));
    }

    /** Plans a brand that has no next slot yet; false if another scheduler planned it first. */
    Future<Boolean> planIfUnplanned(BrandSlot brand, Optional<Instant> next, String plannedFor) {
        JsonObject query = unplannedQuery().put("_id", brand.documentId());
        JsonObject set = new JsonObject().put(NEXT_SLOT, next.map(Instant::toEpochMilli).orElse(null)).put(PLANNED_FOR, plannedFor);
        return mongo.updateCollection(collection, query, new JsonObject().put("$set", set)).map(r -> r.getDocModified() > 0);
    }

    /**
     * Moves {@code next_slot} from the value read to {@code next}, in one conditional update: true
     * for exactly one caller per slot. With {@code fired}, also records the slot as the last fired.
     */
    Future<Boolean> moveSlot(BrandSlot brand, Optional<Instant> next, String plannedFor, boolean fired, Instant now,
                             int missedSlots) {
        long expected = brand.nextSlot().orElseThrow().toEpochMilli();
        JsonObject query = new JsonObject().put("_id", brand.documentId()).put(NEXT_SLOT, expected);
        JsonObject set = new JsonObject().put(NEXT_SLOT, next.map(Instant::toEpochMilli).orElse(null)).put(PLANNED_FOR, plannedFor);
        if (fired) {
            set.put(LAST_SLOT, expected).put(LAST_FIRED_AT, now.toEpochMilli()).put(MISSED_SLOTS, missedSlots)
                    .put(PENDING_START, new JsonObject().put("slot", expected).put("claimed_at", now.toEpochMilli())
                            .put("missed_slots", missedSlots).put("schedule", plannedFor));
        }
        return mongo.updateCollection(collection, query, new JsonObject().put("$set", set)).map(r -> r.getDocModified() > 0);
    }

    /** Parks a brand whose stored schedule is invalid: it never fires until the API plans it again. */
    Future<Void> refuse(BrandSlot brand, InvalidScheduleException e) {
        JsonObject query = new JsonObject().put("_id", brand.documentId());
        if (brand.nextSlot().isPresent()) {
            query.put(NEXT_SLOT, brand.nextSlot().get().toEpochMilli());
        } else {
            query.putNull(NEXT_SLOT);
        }
        JsonObject set = new JsonObject().put(NEXT_SLOT, null)
                .put(SCHEDULE_ERROR, new JsonObject().put("field", e.field()).put("message", e.getMessage()));
        return mongo.updateCollection(collection, query, new JsonObject().put("$set", set)).mapEmpty();
    }

    /** Records what the starter answered for a fired slot and clears its pending start. */
    Future<Void> recordStart(Object documentId, Instant slot, Throwable failure) {
        JsonObject start = new JsonObject().put("slot", slot.toEpochMilli()).put("ok", failure == null)
                .put("error", failure == null ? null : String.valueOf(failure.getMessage())).put("at", clock.millis());
        JsonObject query = new JsonObject().put("_id", documentId).put(PENDING_START + ".slot", slot.toEpochMilli());
        return mongo.updateCollection(collection, query, new JsonObject().put("$set", new JsonObject().put(LAST_START, start))
                .put("$unset", new JsonObject().put(PENDING_START, ""))).mapEmpty();
    }

    /** A claimed slot whose start was never recorded. */
    record PendingStart(Object documentId, String clientId, String brandId, Instant slot, Instant claimedAt, int missedSlots,
                        String schedule) {
    }

    /** Pending starts claimed at or before {@code claimedBefore}: their scheduler died before the starter answered. */
    Future<List<PendingStart>> stalledStarts(Instant claimedBefore, int limit) {
        JsonObject query = new JsonObject().put(PENDING_START + ".claimed_at", new JsonObject().put("$lte", claimedBefore.toEpochMilli()));
        JsonObject fields = new JsonObject().put(CLIENT_ID, 1).put(BRAND_ID, 1).put(PENDING_START, 1);
        return mongo.findWithOptions(collection, query, new FindOptions().setFields(fields).setLimit(limit))
                .map(docs -> docs.stream().map(doc -> {
                    JsonObject p = doc.getJsonObject(PENDING_START);
                    return new PendingStart(doc.getValue("_id"), doc.getString(CLIENT_ID), doc.getString(BRAND_ID),
                            Instant.ofEpochMilli(p.getLong("slot")), Instant.ofEpochMilli(p.getLong("claimed_at")),
                            p.getInteger("missed_slots", 1), p.getString("schedule", ""));
                }).toList());
    }

    /** Takes over a stalled start, for exactly one of several schedulers (a conditional update of its claim time). */
    Future<Boolean> reclaimStart(PendingStart pending, Instant now) {
        JsonObject query = new JsonObject().put("_id", pending.documentId())
                .put(PENDING_START + ".claimed_at", pending.claimedAt().toEpochMilli());
        return mongo.updateCollection(collection, query, new JsonObject().put("$set",
                new JsonObject().put(PENDING_START + ".claimed_at", now.toEpochMilli()))).map(r -> r.getDocModified() > 0);
    }

    private Future<List<BrandSlot>> find(JsonObject query, FindOptions options) {
        return mongo.findWithOptions(collection, query, options.setFields(FIELDS))
                .map(docs -> docs.stream().map(BrandSchedules::slot).toList());
    }

    private static BrandSlot slot(JsonObject doc) {
        Object raw = doc.getValue(SCHEDULE);
        Number next = doc.getNumber(NEXT_SLOT);
        return new BrandSlot(doc.getValue("_id"), doc.getString(CLIENT_ID), doc.getString(BRAND_ID),
                raw,
                Optional.ofNullable(next).map(n -> Instant.ofEpochMilli(n.longValue())),
                Optional.ofNullable(doc.getString(PLANNED_FOR)));
    }
}
