package io.brandscan.limits;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Token buckets shared by every process, one MongoDB document each:
 * {@code {_id: key, tokens, refilled_at, v}}. A reservation reads the document, works out the
 * new state with {@link BucketState} and writes it back only if {@code v} is still the version it
 * read (compare-and-set), so two processes cannot both take the last token; the loser re-reads
 * and tries again, up to {@code cas_attempts} times with a short random pause after the first
 * few. One round trip pair per request, no transactions, no server-side scripting.
 */
final class SharedTokenBuckets {
    private final Vertx vertx;
    private final MongoClient mongo;
    private final String collection;
    private final Clock clock;
    private final int attempts;

    SharedTokenBuckets(Vertx vertx, MongoClient mongo, String collection, Clock clock, int attempts) {
        this.vertx = vertx;
        this.mongo = mongo;
        this.collection = collection;
        this.clock = clock;
        this.attempts = attempts;
    }

    /** Why a reservation did not happen: the wait was too long, or the bucket was too contended. */
    static final class Contended extends RuntimeException {
        Contended(String key, int attempts) {
            super("rate bucket " + key + " stayed contended for " + attempts + " attempts");
        }
    }

    /**
     * Reserves one token of {@code key}: the milliseconds to wait before using it, or empty (nothing
     * taken) when the wait would exceed {@code maxWaitMillis}. Fails with {@link Contended} when
     * every compare-and-set lost.
     */
    Future<Optional<Long>> reserve(String key, double perMinute, int burst, long maxWaitMillis) {
        return attempt(key, perMinute, burst, maxWaitMillis, 1);
    }

    private Future<Optional<Long>> attempt(String key, double perMinute, int burst, long maxWaitMillis, int n) {
        long now = clock.millis();
        return load(key, burst, now).compose(stored -> {
            Optional<BucketState.Reservation> reservation = stored.state.reserve(perMinute, burst, now, maxWaitMillis);
            if (reservation.isEmpty()) {
                return Future.succeededFuture(Optional.<Long>empty());
            }
            BucketState next = reservation.get().next();
            JsonObject query = new JsonObject().put("_id", key).put("v", stored.version);
            JsonObject update = new JsonObject()
                    .put("$set", new JsonObject().put("tokens", next.tokens()).put("refilled_at", next.refilledAtMillis()))
                    .put("$inc", new JsonObject().put("v", 1L));
            return mongo.updateCollection(collection, query, update).compose(result -> {
                if (result.getDocModified() > 0) {
                    return Future.succeededFuture(Optional.of(reservation.get().waitMillis()));
                }
                if (n >= attempts) {
                    return Future.failedFuture(new Contended(key, attempts));
                }
                if (n < 3) {
                    return attempt(key, perMinute, burst, maxWaitMillis, n + 1);
                }
                // Back off a little at random so contending processes stop colliding in lockstep.
                long pause = 1 + ThreadLocalRandom.current().nextLong(Math.min(50, 2L * n));
                return vertx.timer(pause, TimeUnit.MILLISECONDS)
                        .compose(t -> attempt(key, perMinute, burst, maxWaitMillis, n + 1));
            });
        });
    }

    /** Gives back one reserved token whose request will not be made. */
    Future<Void> refund(String key) {
        return mongo.updateCollection(collection, new JsonObject().put("_id", key),
                new JsonObject().put("$inc", new JsonObject().put("tokens", 1.0).put("v", 1L))).mapEmpty();
    }

    /** Milliseconds until one token of {@code key} is free (0 when one is free now). */
    Future<Long> millisUntilFree(String key, double perMinute, int burst) {
        long now = clock.millis();
        return load(key, burst, now).map(stored -> stored.state.millisUntilFree(perMinute, burst, now));
    }

    /** Tokens of {@code key} now, for usage pages and tests. */
    Future<Double> tokens(String key, double perMinute, int burst) {
        long now = clock.millis();
        return load(key, burst, now).map(stored -> stored.state.refilled(perMinute, burst, now).tokens());
    }

    private record Stored(BucketState state, long version) {
    }

    /** The bucket document, created full if missing (a lost creation race simply reads the winner's). */
    private Future<Stored> load(String key, int burst, long now) {
        return mongo.findOne(collection, new JsonObject().put("_id", key), null).compose(doc -> {
            if (doc != null) {
                return Future.succeededFuture(stored(doc));
            }
            JsonObject fresh = new JsonObject().put("_id", key).put("tokens", (double) burst).put("refilled_at", now).put("v", 0L);
            return mongo.insert(collection, fresh)
                    .map(id -> stored(fresh))
                    .recover(e -> Duplicates.isDuplicateKey(e)
                            ? mongo.findOne(collection, new JsonObject().put("_id", key), null).map(this::stored)
                            : Future.failedFuture(e));
        });
    }

    private Stored stored(JsonObject doc) {
        Number tokens = doc.getNumber("tokens");
        Number refilled = doc.getNumber("refilled_at");
        Number version = doc.getNumber("v");
        return new Stored(new BucketState(tokens == null ? 0 : tokens.doubleValue(), refilled == null ? 0 : refilled.longValue()),
                version == null ? 0 : version.longValue());
    }
}
