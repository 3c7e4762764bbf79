package io.brandscan.pipeline.acquire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.launcher.RegistryGroup;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.queue.QueueMessage;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient;
import io.brandscan.registry.RegistryClient.RegistryClientException;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The real parts an acquire worker needs, shared by the acquire tests: ElasticMQ, s3proxy and
 * mongo-java-server on port 0, a registry with the given commit lease, the loopback image server
 * (the only address downloads may reach), the embedding worker with the real model, and the scan
 * store. Each test takes its own {@link ScanQueues}, so tests share the servers without seeing
 * each other's messages.
 */
final class AcquireStack implements AutoCloseable {
    final DevServices services;
    final Vertx vertx;
    final ImageServer images;
    final int registryPort;
    final RegistryClient registry;
    final ScanStore store;
    final MongoClient mongo;
    private final String dbName;

    private AcquireStack(DevServices services, Vertx vertx, ImageServer images, int registryPort, RegistryClient registry,
                         ScanStore store, MongoClient mongo, String dbName) {
        this.services = services;
        this.vertx = vertx;
        this.images = images;
        this.registryPort = registryPort;
        this.registry = registry;
        this.store = store;
        this.mongo = mongo;
        this.dbName = dbName;
    }

    static AcquireStack start(long leaseMs, String dbName) throws Exception {
        DevServices services = DevServices.start(DevServicesSettings.ephemeral());
        Vertx vertx = Vertx.vertx();
        ImageServer images = ImageServer.start(vertx);
        int registryPort = await(RegistryGroup.start(vertx, new JsonObject().put("port", 0).put("host", "127.0.0.1")
                .put("lease_ms", leaseMs), 1));
        RegistryClient registry = new RegistryClient(vertx, RegistryClient.Settings.local(registryPort));
        await(vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));
        JsonObject mongoConf = services.adapterConfig().getJsonObject("mongo").copy().put("db_name", dbName);
        ScanStore store = await(ScanStore.open(vertx, mongoConf.copy().put("pool_name", dbName), new JsonObject(),
                Clock.systemUTC()));
        MongoClient mongo = MongoConnection.client(vertx, mongoConf.copy().put("pool_name", dbName + "-raw"));
        return new AcquireStack(services, vertx, images, registryPort, registry, store, mongo, dbName);
    }

    JsonObject mongoConf() {
        return services.adapterConfig().getJsonObject("mongo").copy().put("db_name", dbName);
    }

    JsonObject s3Conf(String bucket) {
        return services.adapterConfig().getJsonObject("s3").copy().put("create_bucket", true).put("bucket", bucket);
    }

    /** The sqs slice for one test's queues; {@code visibilityS} is how long a taken message stays hidden. */
    JsonObject sqsConf(String acquireQueue, String aiQueue, int visibilityS) {
        return services.adapterConfig().getJsonObject("sqs").copy()
                .put("create_queues", true)
                .put("queues", new JsonObject().put("acquire", acquireQueue).put("ai", aiQueue))
                .put("wait_time_s", 1)
                .put("visibility_timeout_s", visibilityS)
                .put("max_receive_count", 4)
                .put("retry_backoff_s", 0.2)
                .put("retry_backoff_max_s", 1);
    }

    /** The download and registry_client slices every worker conf in these tests has. */
    JsonObject workerConf(JsonObject sqs, JsonObject s3, String poolName, JsonObject acquire) {
        return new JsonObject()
                .put("sqs", sqs)
                .put("s3", s3)
                .put("mongo", mongoConf().put("pool_name", poolName))
                .put("download", new JsonObject().put("allow", "127.0.0.1:" + images.port()).put("timeout_ms", 5000))
                .put("registry_client", new JsonObject().put("port", registryPort))
                .put("acquire", acquire);
    }

    ScanQueues queues(String name, JsonObject sqsConf) throws Exception {
        return new ScanQueues(name, sqsConf);
    }

    void assertBatchGone(BatchKey batch) {
        Exception e = assertThrows(Exception.class, () -> await(registry.status(batch.toString())));
        RegistryClientException refused = assertInstanceOf(RegistryClientException.class, e.getCause());
        assertEquals(404, refused.status());
    }

    @Override
    public void close() throws Exception {
        try {
            await(vertx.close());
        } finally {
            services.close();
        }
    }

    static JsonObject job(BatchKey batch, JsonObject listing) {
        return new JsonObject().put("client_id", batch.clientId()).put("scan_id", batch.scanId())
                .put("batch", batch.toString()).put("listing", listing);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    /** One test's url-job and AI queues, and the scan it drives through them. */
    final class ScanQueues {
        final String name;
        final JsonObject sqsConf;
        final SqsBroker broker;
        final SqsQueue jobs;
        final SqsQueue ai;

        private ScanQueues(String name, JsonObject sqsConf) throws Exception {
            this.name = name;
            this.sqsConf = sqsConf;
            broker = SqsBroker.create(vertx, sqsConf);
            jobs = await(broker.open("acquire"));
            ai = await(broker.open("ai"));
        }

        /** What gather does: the scan moves to acquiring, the registry batch starts, one job per listing. */
        BatchKey startScan(String scanId, List<JsonObject> listings) throws Exception {
            String client = "client-" + name;
            await(store.scans().create(client, scanId, "brand-" + name));
            Scan gathering = await(store.scans().beginGather(client, scanId, 3)).orElseThrow();
            await(store.scans().transition(client, scanId, Set.of(ScanState.GATHERING), ScanState.ACQUIRING)).orElseThrow();
            BatchKey batch = gathering.batchKey().orElseThrow();
            await(registry.start(batch.toString(), listings.size()));
            List<String> bodies = new ArrayList<>();
            for (JsonObject l : listings) {
                bodies.add(job(batch, l).encode());
            }
            await(jobs.sendBatch(bodies));
            return batch;
        }

        /** Every AI message now on the queue (deleted as read). */
        List<JsonObject> drainAi() throws Exception {
            List<JsonObject> bodies = new ArrayList<>();
            while (true) {
                List<QueueMessage> got = await(ai.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30)));
                if (got.isEmpty()) {
                    return bodies;
                }
                for (QueueMessage m : got) {
                    bodies.add(new JsonObject(m.body()));
                    await(ai.delete(m.receiptHandle()));
                }
            }
        }
    }
}
