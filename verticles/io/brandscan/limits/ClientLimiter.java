package io.brandscan.limits;

import io.brandscan.scan.ScanIds;
import io.brandscan.scan.ScanState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-client limits, checked against usage kept in MongoDB so every API and gather process
 * sees the same numbers. Owns the admission of a scan (a running slot, one of the month's scans,
 * one of the day's), its release when the scan ends, the client's provider-request bucket, and
 * the reading of a client's overrides from the clients collection (cached briefly).
 *
 * <p>Concurrent scans are a counter of held slots (see {@link ScanSlots}), not a count of the
 * scans collection: counting then inserting is two steps, and two API processes could both count
 * N-1 and both insert. The counter is taken atomically, and because it names the scan ids that
 * hold it, a release that never came (a crashed worker, a path that forgot) is repaired when the
 * client hits its limit: slots whose scan is finished, or that have had no scan document for
 * longer than {@code concurrency_grace_ms}, are freed and the admission tried once more. So
 * {@link #releaseScan} keeps slots prompt, and the scans collection keeps them honest.
 *
 * <p>All checks are single-document atomic updates; a refusal after a partial admission gives
 * back what it took. Safe to share between verticle instances of one process.
 */
public final class ClientLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientLimiter.class);
    static final String CLIENT_BUCKET_PREFIX = "client:";

    private final MongoClient mongo;
    private final LimitsSettings settings;
    private final Clock clock;
    private final UsageCounters counters;
    private final ScanSlots slots;
    private final SharedTokenBuckets buckets;
    private final Map<String, CachedLimits> cache;

    private record CachedLimits(ClientLimits limits, Instant readAt) {
    }

    public ClientLimiter(Vertx vertx, MongoClient mongo, LimitsSettings settings, Clock clock) {
        this.mongo = mongo;
        this.settings = settings;
        this.clock = clock;
        this.counters = new UsageCounters(mongo, settings.usageCollection());
        this.slots = new ScanSlots(mongo, settings.slotsCollection());
        this.buckets = new SharedTokenBuckets(vertx, mongo, settings.bucketsCollection(), clock, settings.casAttempts());
        int max = settings.clientCacheMax();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CachedLimits> eldest) {
                return size() > max;
            }
        };
    }

    public LimitsSettings settings() {
        return settings;
    }

    SharedTokenBuckets buckets() {
        return buckets;
    }

    /**
     * The client's limits: the conf defaults overridden by the {@code limits} object of its
     * document in the clients collection ({@code _id} = client id), if any. Cached for
     * {@code client_cache_ms}; a malformed stored override fails the future naming the field.
     */
    public Future<ClientLimits> limitsFor(String clientId) {
        Instant now = clock.instant();
        synchronized (cache) {
            CachedLimits cached = cache.get(clientId);
            if (cached != null && !now.isAfter(cached.readAt.plus(settings.clientCacheTtl()))) {
                return Future.succeededFuture(cached.limits);
            }
        }
        return mongo.findOne(settings.clientsCollection(), new JsonObject().put("_id", clientId),
                        new JsonObject().put("limits", 1))
                .map(doc -> {
                    ClientLimits limits = settings.clientLimits(doc == null ? null : doc.getJsonObject("limits"));
                    synchronized (cache) {
                        cache.put(clientId, new CachedLimits(limits, now));
                    }
                    return limits;
                });
    }

    /** Forgets a client's cached limits in this process, e.g. right after the API changed them. */
    public void forget(String clientId) {
        synchronized (cache) {
            cache.remove(clientId);
        }
    }

    /** {@link #admitScan(String, String, ClientLimits)} with the client's stored limits. */
    public Future<LimitDecision> admitScan(String clientId, String scanId) {
        return limitsFor(clientId).compose(limits -> admitScan(clientId, scanId, limits));
    }

    /**
     * Admits scan {@code scanId} of {@code clientId} before it is created: takes a running slot,
     * then one of this UTC month's scans, then one of today's (month before day, so a client out
     * of monthly scans is told to wait for the month, not for tomorrow). A refusal names the first
     * limit that refused and gives back whatever was taken. Admitting a scan that still holds its
     * slot (a retried request) is allowed without counting it again.
     * Call {@link #releaseScan} when the scan ends, or {@link #refundScan} if it is never created.
     */
    public Future<LimitDecision> admitScan(String clientId, String scanId, ClientLimits limits) {
        try {
            ScanIds.requireValid("client_id", clientId);
            ScanIds.requireValid("scan_id", scanId);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        Instant now = clock.instant();
        return takeSlot(clientId, scanId, limits.concurrentScans(), now).compose(slot -> {
            if (slot == Slot.ALREADY_HELD) {
                return Future.succeededFuture(LimitDecision.allow()); // a retried admission: counted the first time
            }
            if (slot == Slot.REFUSED) {
                return Future.succeededFuture(LimitDecision.refuse(LimitKind.CONCURRENT_SCANS, limits.concurrentScans(),
                        "client " + clientId + " already has " + limits.concurrentScans()
                                + " scans running (limit concurrent_scans=" + limits.concurrentScans()
                                + "); start another when one ends", settings.concurrencyRetryAfterSeconds()));
            }
            return counters.take(clientId, UsagePeriod.MONTH, now, limits.scansPerMonth()).compose(month -> {
                if (!month) {
                    return undo(slots.release(clientId, scanId), periodRefusal(clientId, LimitKind.SCANS_PER_MONTH,
                            limits.scansPerMonth(), UsagePeriod.MONTH, now));
                }
                return counters.take(clientId, UsagePeriod.DAY, now, limits.scansPerDay()).compose(day -> {
                    if (!day) {
                        return undo(Future.all(slots.release(clientId, scanId),
                                        counters.giveBack(clientId, UsagePeriod.MONTH, now)),
                                periodRefusal(clientId, LimitKind.SCANS_PER_DAY, limits.scansPerDay(), UsagePeriod.DAY, now));
                    }
                    LOG.info("scan admitted client_id={} scan_id={}", clientId, scanId);
                    return Future.succeededFuture(LimitDecision.allow());
                }, e -> undo(Future.all(slots.release(clientId, scanId), counters.giveBack(clientId, UsagePeriod.MONTH, now)),
                        Future.failedFuture(e)));
            }, e -> undo(slots.release(clientId, scanId), Future.failedFuture(e)));
        });
    }

    /**
     * Frees the running slot of a scan that has ended (complete, failed or cancelled). Idempotent:
     * true only for the call that freed it.
     */
    public Future<Boolean> releaseScan(String clientId, String scanId) {
        return slots.release(clientId, scanId).onSuccess(freed -> {
            if (freed) {
                LOG.info("scan slot released client_id={} scan_id={}", clientId, scanId);
            }
        });
    }

    /**
     * Undoes an admission whose scan was never created: frees its slot and gives back one of the
     * day's and the month's scans (today's and this month's: call it right after the failed create).
     */
    public Future<Void> refundScan(String clientId, String scanId) {
        Instant now = clock.instant();
        return slots.release(clientId, scanId).compose(freed -> freed
                ? Future.all(counters.giveBack(clientId, UsagePeriod.DAY, now),
                        counters.giveBack(clientId, UsagePeriod.MONTH, now)).mapEmpty()
                : Future.succeededFuture());
    }

    /** {@link #takeProviderRequest(String, ClientLimits)} with the client's stored limits. */
    public Future<LimitDecision> takeProviderRequest(String clientId) {
        return limitsFor(clientId).compose(limits -> takeProviderRequest(clientId, limits));
    }

    /**
     * Takes one of the client's provider requests now, without waiting: refused with the seconds
     * until a token is free. (Gather goes through {@link SharedProviderRateLimiter}, which waits
     * for a token when the wait is short.)
     */
    public Future<LimitDecision> takeProviderRequest(String clientId, ClientLimits limits) {
        return reserveProviderRequest(clientId, limits, 0).compose(wait -> wait.isPresent()
                ? Future.succeededFuture(LimitDecision.allow())
                : providerRefusal(clientId, limits));
    }

    /** Reserves a client provider token: the wait in ms, or empty when longer than {@code maxWaitMillis}. */
    Future<Optional<Long>> reserveProviderRequest(String clientId, ClientLimits limits, long maxWaitMillis) {
        if (limits.providerRequestsPerMinute() == 0) {
            return Future.succeededFuture(Optional.empty());
        }
        return buckets.reserve(CLIENT_BUCKET_PREFIX + clientId, limits.providerRequestsPerMinute(),
                limits.providerRequestsBurst(), maxWaitMillis);
    }

    Future<Void> refundProviderRequest(String clientId) {
        return buckets.refund(CLIENT_BUCKET_PREFIX + clientId);
    }

    /** The refusal for an empty client bucket, with the seconds until its next token. */
    Future<LimitDecision> providerRefusal(String clientId, ClientLimits limits) {
        int perMinute = limits.providerRequestsPerMinute();
        Future<Long> wait = perMinute == 0 ? Future.succeededFuture(60_000L)
                : buckets.millisUntilFree(CLIENT_BUCKET_PREFIX + clientId, perMinute, limits.providerRequestsBurst());
        return wait.map(ms -> LimitDecision.refuse(LimitKind.PROVIDER_REQUESTS_PER_MINUTE, perMinute,
                "client " + clientId + " has used its provider requests (limit provider_requests_per_minute="
                        + perMinute + ", burst " + limits.providerRequestsBurst() + ")",
                perMinute == 0 ? 60 : (Math.min(ms, 86_400_000L) + 999) / 1000));
    }

    /** What the client uses now against its stored limits. */
    public Future<ClientUsage> usage(String clientId) {
        Instant now = clock.instant();
        return limitsFor(clientId).compose(limits -> Future.all(slots.held(clientId),
                        counters.used(clientId, UsagePeriod.DAY, now), counters.used(clientId, UsagePeriod.MONTH, now))
                .map(all -> new ClientUsage(clientId, limits, all.<List<ScanSlots.Held>>resultAt(0).size(),
                        all.<Long>resultAt(1), all.<Long>resultAt(2))));
    }

    /** The outcome of asking for a running slot. */
    private enum Slot { TAKEN, ALREADY_HELD, REFUSED }

    private Future<Slot> takeSlot(String clientId, String scanId, int limit, Instant now) {
        return slots.take(clientId, scanId, limit, now).compose(taken -> {
            if (taken) {
                return Future.succeededFuture(Slot.TAKEN);
            }
            return slots.held(clientId).compose(held -> {
                if (held.stream().anyMatch(h -> h.scanId().equals(scanId))) {
                    return Future.succeededFuture(Slot.ALREADY_HELD);
                }
                if (limit <= 0) {
                    return Future.succeededFuture(Slot.REFUSED);
                }
                return reconcile(clientId, held, now)
                        .compose(freed -> freed > 0 ? slots.take(clientId, scanId, limit, now) : Future.succeededFuture(false))
                        .map(retaken -> retaken ? Slot.TAKEN : Slot.REFUSED);
            });
        });
    }

    /**
     * Frees slots whose scan has ended, or has had no scan document for longer than the grace
     * (an admission whose create never happened). Returns how many were freed.
     */
    private Future<Integer> reconcile(String clientId, List<ScanSlots.Held> held, Instant now) {
        if (held.isEmpty()) {
            return Future.succeededFuture(0);
        }
        JsonArray ids = new JsonArray();
        held.forEach(h -> ids.add(h.scanId()));
        JsonObject query = new JsonObject().put("_id", new JsonObject().put("$in", ids)).put("client_id", clientId);
        return mongo.findWithOptions(settings.scansCollection(), query,
                        new io.vertx.ext.mongo.FindOptions().setFields(new JsonObject().put("state", 1)))
                .compose(docs -> {
                    Map<String, String> states = new HashMap<>();
                    docs.forEach(d -> states.put(d.getString("_id"), d.getString("state")));
                    List<Future<Boolean>> releases = new ArrayList<>();
                    for (ScanSlots.Held h : held) {
                        String state = states.get(h.scanId());
                        boolean ended = state != null && isTerminal(state);
                        boolean abandoned = state == null && h.at().plus(settings.concurrencyGrace()).isBefore(now);
                        if (ended || abandoned) {
                            LOG.info("scan slot reconciled client_id={} scan_id={} reason={}", clientId, h.scanId(),
                                    ended ? "scan " + state : "no scan document");
                            releases.add(slots.release(clientId, h.scanId()));
                        }
                    }
                    return Future.all(releases).map(all -> (int) releases.stream().filter(f -> f.result()).count());
                });
    }

    private static boolean isTerminal(String wireState) {
        try {
            return ScanState.fromWire(wireState).isTerminal();
        } catch (IllegalArgumentException e) {
            return false; // an unknown state is kept: freeing a slot wrongly is worse than holding it
        }
    }

    private Future<LimitDecision> periodRefusal(String clientId, LimitKind kind, long limit, UsagePeriod period, Instant now) {
        String span = period == UsagePeriod.DAY ? "today (UTC " + period.key(now) + ")" : "this month (UTC " + period.key(now) + ")";
        return Future.succeededFuture(LimitDecision.refuse(kind, limit, "client " + clientId + " has started its " + limit
                + " scans " + span + " (limit " + kind.wireName() + "=" + limit + "); more from "
                + period.nextStart(now), period.secondsUntilNext(now)));
    }

    /** Runs the rollback, then answers {@code outcome} whatever the rollback did (a failed one is logged). */
    private static <T> Future<T> undo(Future<?> rollback, Future<T> outcome) {
        return rollback.transform(r -> {
            if (r.failed()) {
                LOG.warn("limit rollback failed; usage may be over-counted until reconciled", r.cause());
            }
            return outcome;
        });
    }
}
