package io.brandscan.mongo;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.MongoClientBulkWriteResult;
import io.vertx.ext.mongo.UpdateOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MongoDB operations the pipeline relies on, run through vertx-mongo-client against a real
 * mongo-java-server (memory backend) on a free port: what works there works on MongoDB, and the
 * pipeline needs nothing else (no transactions, no change streams).
 */
class MongoOperationsTest {
    private static DevServices services;
    private static Vertx vertx;
    private static MongoClient mongo;

    @BeforeAll
    static void startMongo() throws Exception {
        services = DevServices.start(new DevServicesSettings(false, 0, false, 0, null, "k", "s", true, 0, null));
        vertx = Vertx.vertx();
        mongo = MongoConnection.client(vertx, services.adapterConfig().getJsonObject("mongo")
                .copy().put("db_name", "ops_test").put("max_pool_size", 4));
    }

    @AfterAll
    static void stop() throws Exception {
        await(mongo.close());
        await(vertx.close());
        services.close();
    }

    @Test
    void replaceUpsertByDeterministicIdNeverDuplicates() throws Exception {
        JsonObject id = new JsonObject().put("_id", "scan-1:a");
        UpdateOptions upsert = new UpdateOptions().setUpsert(true);
        await(mongo.replaceDocumentsWithOptions("listings", id, listing("scan-1", "a", 10.0), upsert));
        await(mongo.replaceDocumentsWithOptions("listings", id, listing("scan-1", "a", 12.5), upsert));

        assertEquals(1L, await(mongo.count("listings", id)));
        assertEquals(12.5, await(mongo.findOne("listings", id, null)).getDouble("price"), "the retry overwrote");
    }

    @Test
    void aRetriedBulkCommitOfReplaceUpsertsWritesEachDocumentOnce() throws Exception {
        List<BulkOperation> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            JsonObject doc = listing("scan-2", "u" + i, i);
            batch.add(BulkOperation.createReplace(new JsonObject().put("_id", doc.getString("_id")), doc, true));
        }
        MongoClientBulkWriteResult first = await(mongo.bulkWrite("listings", batch));
        MongoClientBulkWriteResult retry = await(mongo.bulkWrite("listings", batch));

        assertEquals(50, first.getUpserts().size(), "first commit inserts");
        assertEquals(0, retry.getUpserts().size(), "the retry inserts nothing");
        assertEquals(50L, retry.getMatchedCount(), "the retry matches every document");
        assertEquals(50L, await(mongo.count("listings", new JsonObject().put("scan_id", "scan-2"))));
    }

    @Test
    void aConditionalFindOneAndUpdateGrantsATransitionOnce() throws Exception {
        await(mongo.save("scans", new JsonObject().put("_id", "scan-3").put("state", "acquiring")
                .put("committed", 0)));
        JsonObject toCommitting = new JsonObject().put("$set", new JsonObject()
                .put("state", "committing").put("lease_owner", "worker-a").put("lease_until", 1_000L));
        UpdateOptions returnNew = new UpdateOptions().setReturningNewDocument(true);
        JsonObject inState = new JsonObject().put("_id", "scan-3").put("state", "acquiring");

        JsonObject won = await(mongo.findOneAndUpdateWithOptions("scans", inState, toCommitting, new FindOptions(), returnNew));
        JsonObject lost = await(mongo.findOneAndUpdateWithOptions("scans", inState, toCommitting, new FindOptions(), returnNew));
        assertEquals("committing", won.getString("state"));
        assertEquals("worker-a", won.getString("lease_owner"));
        assertNull(lost, "the second caller finds the scan no longer in the state it expected");

        // A lease: another worker may take over only once it has expired.
        JsonObject takeOver = new JsonObject().put("$set", new JsonObject()
                .put("lease_owner", "worker-b").put("lease_until", 5_000L)).put("$inc", new JsonObject().put("committed", 1));
        JsonObject expiredAt500 = new JsonObject().put("_id", "scan-3").put("state", "committing")
                .put("lease_until", new JsonObject().put("$lt", 500L));
        JsonObject expiredAt2000 = expiredAt500.copy().put("lease_until", new JsonObject().put("$lt", 2_000L));
        assertNull(await(mongo.findOneAndUpdateWithOptions("scans", expiredAt500, takeOver, new FindOptions(), returnNew)),
                "a live lease is not taken");
        JsonObject taken = await(mongo.findOneAndUpdateWithOptions("scans", expiredAt2000, takeOver, new FindOptions(), returnNew));
        assertEquals("worker-b", taken.getString("lease_owner"));
        assertEquals(1, taken.getInteger("committed"));
    }

    @Test
    void upsertWithSetOnInsertCreatesOnceAndKeepsTheFirstValue() throws Exception {
        JsonObject query = new JsonObject().put("_id", "client-1:2026-11-22");
        UpdateOptions upsert = new UpdateOptions().setUpsert(true);
        for (int i = 0; i < 3; i++) {
            await(mongo.updateCollectionWithOptions("usage", query, new JsonObject()
                    .put("$setOnInsert", new JsonObject().put("first_seen", i))
                    .put("$inc", new JsonObject().put("scans", 1)), upsert));
        }
        JsonObject usage = await(mongo.findOne("usage", query, null));
        assertEquals(0, usage.getInteger("first_seen"));
        assertEquals(3, usage.getInteger("scans"));
    }

    @Test
    void aUniqueIndexRejectsADuplicate() throws Exception {
        await(mongo.createIndexWithOptions("findings", new JsonObject().put("scan_id", 1).put("url", 1),
                new IndexOptions().unique(true)));
        await(mongo.insert("findings", new JsonObject().put("_id", "f1").put("scan_id", "s").put("url", "u")));
        ExecutionException duplicate = assertThrows(ExecutionException.class, () -> await(mongo.insert("findings",
                new JsonObject().put("_id", "f2").put("scan_id", "s").put("url", "u"))));
        assertTrue(String.valueOf(duplicate.getCause()).contains("E11000"), String.valueOf(duplicate.getCause()));
        await(mongo.insert("findings", new JsonObject().put("_id", "f3").put("scan_id", "s").put("url", "other")));
        assertEquals(2L, await(mongo.count("findings", new JsonObject().put("scan_id", "s"))));
    }

    @Test
    void countsByFilter() throws Exception {
        for (int i = 0; i < 7; i++) {
            await(mongo.save("counted", new JsonObject().put("_id", "c" + i).put("state", i % 2 == 0 ? "failed" : "ok")));
        }
        assertEquals(4L, await(mongo.count("counted", new JsonObject().put("state", "failed"))));
        assertEquals(7L, await(mongo.count("counted", new JsonObject())));
        assertEquals(3L, await(mongo.count("counted", new JsonObject().put("state", new JsonObject().put("$ne", "failed")))));
    }

    @Test
    void badPoolSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MongoConnection.clientConfig(
                new JsonObject().put("max_pool_size", 2).put("min_pool_size", 5)));
    }

    private static JsonObject listing(String scan, String url, double price) {
        return new JsonObject().put("_id", scan + ":" + url).put("scan_id", scan).put("url", url).put("price", price);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
