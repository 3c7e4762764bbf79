package io.brandscan.pipeline.acquire;

import io.brandscan.launcher.RegistryGroup;
import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.worker.EmbeddingClient;
import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.registry.RegistryClient;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Not a test (surefire's default includes skip it): URLs per second through the whole acquire
 * phase (download from a loopback server, decode, fingerprint, S3, embedding, registry submit,
 * and the one commit of the batch to MongoDB) against the embedding stage alone on the same
 * decoded images, in the same run, on the same Vert.x instance and embedding verticle; decode plus
 * fingerprint on one thread is printed too, as the other CPU stage of a url.
 * Run: {@code mvn -B -o -q test -Dtest=AcquireThroughputBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
class AcquireThroughputBench {
    private static final int LISTINGS = 200;
    private static final String[] IMAGES = {"astronaut.png", "brick.png", "camera.png", "chelsea.png", "coffee.png",
            "coins.png", "grass.png", "gravel.png", "hubble_deep_field.jpg", "moon.png", "rocket.jpg"};

    @Test
    void acquirePhaseAgainstTheEmbeddingStageAlone() throws Exception {
        try (DevServices services = DevServices.start(new DevServicesSettings(true, 0, true, 0, null, "k", "s", true, 0, null))) {
            Vertx vertx = Vertx.vertx();
            try {
                run(vertx, services);
            } finally {
                await(vertx.close());
            }
        }
    }

    private static void run(Vertx vertx, DevServices services) throws Exception {
        ImageServer images = ImageServer.start(vertx);
        int registryPort = await(RegistryGroup.start(vertx, new JsonObject().put("port", 0).put("host", "127.0.0.1"), 1));
        await(vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));

        // Baseline: the embedding stage alone, same images, same concurrency bound as acquire.
        ImageDecoder decoder = ImageDecoder.withDefaults();
        List<BufferedImage> decoded = new ArrayList<>();
        long d0 = System.nanoTime();
        for (int i = 0; i < LISTINGS; i++) {
            decoded.add(AcquiredImage.of(decoder.decode(ImageServer.image(IMAGES[i % IMAGES.length])), null).pixels());
        }
        double decodeSeconds = (System.nanoTime() - d0) / 1e9;
        EmbeddingClient embedding = new EmbeddingClient(vertx, EmbeddingClient.DEFAULT_TIMEOUT);
        await(embedding.embedAll(decoded.subList(0, 16))); // warm-up
        long e0 = System.nanoTime();
        for (int from = 0; from < LISTINGS; from += 16) {
            await(embedding.embedAll(decoded.subList(from, Math.min(LISTINGS, from + 16))));
        }
        double embedSeconds = (System.nanoTime() - e0) / 1e9;

        JsonObject mongoConf = services.adapterConfig().getJsonObject("mongo").copy().put("db_name", "bench");
        ScanStore store = await(ScanStore.open(vertx, mongoConf.copy().put("pool_name", "bench"), new JsonObject(), Clock.systemUTC()));
        JsonObject sqs = services.adapterConfig().getJsonObject("sqs").copy().put("create_queues", true).put("wait_time_s", 1)
                .put("queues", new JsonObject().put("acquire", "bench-url").put("ai", "bench-ai"));
        SqsBroker broker = SqsBroker.create(vertx, sqs);
        SqsQueue jobs = await(broker.open("acquire"));
        RegistryClient registry = new RegistryClient(vertx, RegistryClient.Settings.local(registryPort));
        await(store.scans().create("bench", "scan", "brand"));
        BatchKey batch = await(store.scans().beginGather("bench", "scan", 3)).orElseThrow().batchKey().orElseThrow();
        await(store.scans().transition("bench", "scan", Set.of(ScanState.GATHERING), ScanState.ACQUIRING));
        await(registry.start(batch.toString(), LISTINGS));
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < LISTINGS; i++) {
            JsonObject listing = new JsonObject().put("url", "https://shop.example.com/item/" + i).put("title", "Item " + i)
                    .put("image_url", images.url("/img/" + IMAGES[i % IMAGES.length] + "?i=" + i));
            bodies.add(new JsonObject().put("client_id", "bench").put("scan_id", "scan").put("batch", batch.toString())
                    .put("listing", listing).encode());
        }
        await(jobs.sendBatch(bodies));
        JsonObject conf = new JsonObject().put("sqs", sqs)
                .put("s3", services.adapterConfig().getJsonObject("s3").copy().put("create_bucket", true).put("bucket", "bench"))
                .put("mongo", mongoConf.copy().put("pool_name", "bench-acquire"))
                .put("download", new JsonObject().put("allow", "127.0.0.1:" + images.port()))
                .put("registry_client", new JsonObject().put("port", registryPort))
                .put("acquire", new JsonObject().put("max_in_flight", 16).put("sweep_interval_ms", 0));
        long a0 = System.nanoTime();
        await(vertx.deployVerticle(new AcquireVerticle(), new DeploymentOptions().setConfig(conf)));
        Scan scan;
        do {
            Thread.sleep(20);
            scan = await(store.scans().get("bench", "scan")).orElseThrow();
        } while (scan.state() != ScanState.SCORING && System.nanoTime() - a0 < TimeUnit.MINUTES.toNanos(10));
        double acquireSeconds = (System.nanoTime() - a0) / 1e9;
        if (scan.counts().committed() != LISTINGS) {
            throw new AssertionError("bench scan did not commit every listing: " + scan.counts());
        }
        double embedRate = LISTINGS / embedSeconds;
        double acquireRate = LISTINGS / acquireSeconds;
        System.out.printf("%nACQUIRE BENCH listings=%d%n| stage | urls/s |%n|---|---|%n| embedding stage alone | %.1f |%n"
                        + "| decode + fingerprint alone, one thread | %.1f |%n"
                        + "| acquire phase end to end (incl. deploy, commit) | %.1f |%n| ratio acquire / embedding | %.2f |%n",
                LISTINGS, embedRate, LISTINGS / decodeSeconds, acquireRate, acquireRate / embedRate);
        broker.close();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    }
}
