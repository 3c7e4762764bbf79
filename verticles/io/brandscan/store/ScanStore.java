package io.brandscan.store;

import io.brandscan.mongo.MongoConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;

/**
 * The persistence of scans, their events, listings and findings over one MongoDB client: the
 * three repositories, created together with their indexes. A verticle opens it in
 * {@code start()} and closes it in {@code stop()}.
 */
public final class ScanStore {
    private final MongoClient mongo;
    private final ScanRepository scans;
    private final ListingRepository listings;
    private final FindingRepository findings;

    private ScanStore(MongoClient mongo, StoreSettings settings, Clock clock) {
        this.mongo = mongo;
        this.scans = new ScanRepository(mongo, settings, clock);
        this.listings = new ListingRepository(mongo, settings, clock, scans);
        this.findings = new FindingRepository(mongo, settings, clock);
    }

    /**
     * Connects with the {@code mongo} slice (see {@link MongoConnection}), bounds from the
     * {@code store} slice (see {@link StoreSettings}), and creates every index before succeeding.
     */
    public static Future<ScanStore> open(Vertx vertx, JsonObject mongoConf, JsonObject storeConf, Clock clock) {
        StoreSettings settings;
        try {
            settings = StoreSettings.from(storeConf);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return over(MongoConnection.client(vertx, mongoConf), settings, clock);
    }

    /** The store over an existing client (closed by {@link #close()}); indexes created before succeeding. */
    public static Future<ScanStore> over(MongoClient mongo, StoreSettings settings, Clock clock) {
        ScanStore store = new ScanStore(mongo, settings, clock);
        return Future.all(store.scans.createIndexes(), store.listings.createIndexes(), store.findings.createIndexes())
                .map(v -> store)
                // A store that failed to start must not leave its pool open.
                .recover(error -> mongo.close().transform(closed -> Future.<ScanStore>failedFuture(error)));
    }

    public ScanRepository scans() {
        return scans;
    }

    public ListingRepository listings() {
        return listings;
    }

    public FindingRepository findings() {
        return findings;
    }

    public Future<Void> close() {
        return mongo.close();
    }
}
