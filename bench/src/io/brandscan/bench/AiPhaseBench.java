package io.brandscan.bench;

import static io.brandscan.bench.BenchArgs.intArg;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.image.ImageVariants;
import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.scoring.BrandReference;
import io.brandscan.embedding.scoring.ImageSignature;
import io.brandscan.embedding.scoring.ImageSimilarity;
import io.brandscan.embedding.scoring.InfringementScorer;
import io.brandscan.embedding.scoring.ListingEvidence;
import io.brandscan.embedding.text.TextScorer;
import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ai.AiVerticle;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.brandscan.scan.BatchKey;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanIds;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanStore;
import io.brandscan.store.StoreSettings;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The AI phase end to end (message on ElasticMQ, listings read from mongo-java-server a page at a
 * time, scored, findings upserted, scan completed) against the scorer alone on the same listings
 * in the same run (InfringementScorer.scoreAll over in-memory evidence, same MiniLM, same
 * references): listings per second of each and their ratio, i.e. what the queue, storage and
 * JSON cost on top of scoring. Measures; asserts nothing.
 */
public final class AiPhaseBench {
    private static final String CLIENT = "bench";
    private static final Path IMAGES = Path.of("src/test/resources/images");
    private static final String[] LOOKALIKE = {"0rbitex astronaut figure", "Orbitecks space helmet", "Orbitex suit replica"};
    private static final String[] CLEAN = {"Red clay bricks pack", "Garden lawn seed mix", "Ceramic coffee mug",
            "Antique coin album", "Cat scratching post", "Vintage camera strap"};

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        ImageEmbedder.initialiseEngine();
        int listings = intArg(args, "--listings", 1000);
        int pageSize = intArg(args, "--page-size", 200);
        int rounds = intArg(args, "--rounds", 2);

        ImageDecoder decoder = ImageDecoder.withDefaults();
        List<BufferedImage> pool = new ArrayList<>();
        BufferedImage astronaut = decoder.decode(Files.readAllBytes(IMAGES.resolve("astronaut.png"))).image();
        pool.add(ImageVariants.resize(astronaut, 0.5));
        pool.add(ImageVariants.mirror(astronaut));
        for (String name : List.of("brick.png", "grass.png", "coffee.png", "coins.png", "chelsea.png", "camera.png")) {
            pool.add(decoder.decode(Files.readAllBytes(IMAGES.resolve(name))).image());
        }
        List<float[]> vectors;
        List<String> hexes = new ArrayList<>();
        ImageSignature reference;
        try (ImageEmbedder embedder = ImageEmbedder.load(EmbeddingModelSpec.defaults())) {
            vectors = embedder.embed(pool);
            pool.forEach(i -> hexes.add(ImageFingerprint.of(i).toHex()));
            reference = ImageSignature.ofReference(astronaut, embedder::embed);
        }
        List<JsonObject> docs = new ArrayList<>(listings);
        List<ListingEvidence> evidence = new ArrayList<>(listings);
        for (int i = 0; i < listings; i++) {
            int img = i % pool.size();
            String title = (img < 2 ? LOOKALIKE[i % LOOKALIKE.length] : CLEAN[i % CLEAN.length]) + " #" + i;
            JsonArray v = new JsonArray();
            for (float f : vectors.get(img)) {
                v.add(f);
            }
            docs.add(new JsonObject().put("url", "https://shop.example.com/item/" + i).put("title", title)
                    .put("price", 40.0).put("currency", "USD").put("seller", "s" + (i % 13))
                    .put("image_url", "https://img.example.com/" + i + ".jpg").put("embedding", v)
                    .put("fingerprint", hexes.get(img)));
            evidence.add(new ListingEvidence(title, 40.0, "USD", "s" + (i % 13),
                    new ImageSignature(vectors.get(img), ImageFingerprint.fromHex(hexes.get(img)))));
        }
        JsonObject brand = new JsonObject().put("name", "Orbitex").put("misspellings", new JsonArray().add("0rbitex"))
                .put("keywords", new JsonArray().add("space")).put("reference_images",
                        new JsonArray().add(IMAGES.resolve("astronaut.png").toAbsolutePath().toString()));

        // Baseline: the scorer alone, same references and text model, evidence already in memory.
        TextScorer text = TextScorer.withMiniLm();
        InfringementScorer scorer = new InfringementScorer(text, ImageSimilarity.withDefaults());
        BrandReference ref = BrandReference.fromBrandDocument("orbitex", brand.getMap(),
                List.of(new ImageSimilarity.Reference("astronaut", reference)), text.profile(BrandReference.brandTerms(brand.getMap())));
        scorer.scoreAll(evidence.subList(0, Math.min(100, listings)), ref); // warm up

        DevServices services = DevServices.start(new DevServicesSettings(true, 0, false, 0, null, "k", "s", true, 0, null));
        Vertx vertx = Vertx.vertx();
        try {
            JsonObject sqs = services.adapterConfig().getJsonObject("sqs").copy().put("create_queues", true)
                    .put("wait_time_s", 1).put("queues", new JsonObject().put("ai", "ai-bench"));
            JsonObject mongo = services.adapterConfig().getJsonObject("mongo").copy().put("db_name", "ai_bench");
            MongoClient raw = MongoConnection.client(vertx, mongo.copy().put("pool_name", "bench-raw"));
            ScanStore store = await(ScanStore.over(MongoConnection.client(vertx, mongo.copy().put("pool_name", "bench-store")),
                    StoreSettings.DEFAULTS, Clock.systemUTC()));
            SqsBroker broker = SqsBroker.create(vertx, sqs);
            SqsQueue queue = await(broker.open("ai"));
            await(vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject())));
            await(vertx.deployVerticle(new AiVerticle(), new DeploymentOptions().setConfig(new JsonObject()
                    .put("ai", new JsonObject().put("page_size", pageSize)).put("sqs", sqs)
                    .put("mongo", mongo.copy().put("pool_name", "bench-ai")))));

            System.out.printf(Locale.ROOT, "listings=%d page_size=%d cores=%d%n", listings, pageSize,
                    Runtime.getRuntime().availableProcessors());
            System.out.println("| round | scorer alone (listings/s) | AI phase end to end (listings/s) | ratio |");
            System.out.println("|---|---|---|---|");
            for (int r = 1; r <= rounds; r++) {
                long t0 = System.nanoTime();
                scorer.scoreAll(evidence, ref);
                double alone = listings / ((System.nanoTime() - t0) / 1e9);

                Scan scan = committed(store, raw, brand, docs);
                long t1 = System.nanoTime();
                await(queue.send(new JsonObject().put("client_id", CLIENT).put("scan_id", scan.id())
                        .put("batch", new BatchKey(CLIENT, scan.id(), 1).toString()).encode()));
                while (await(store.scans().get(CLIENT, scan.id())).orElseThrow().state() != ScanState.COMPLETE) {
                    Thread.sleep(20);
                }
                double phase = listings / ((System.nanoTime() - t1) / 1e9);
                System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.2f |%n", r, alone, phase, phase / alone);
            }
            broker.close();
        } finally {
            await(vertx.close());
            services.close();
        }
    }

    private static Scan committed(ScanStore store, MongoClient raw, JsonObject brand, List<JsonObject> docs) throws Exception {
        String scanId = ScanIds.newScanId();
        await(store.scans().create(CLIENT, scanId, "orbitex"));
        await(raw.updateCollection("scans", new JsonObject().put("_id", scanId).put("client_id", CLIENT),
                new JsonObject().put("$set", new JsonObject().put("brand", brand))));
        await(store.scans().beginGather(CLIENT, scanId, 1));
        await(store.scans().transition(CLIENT, scanId, Set.of(ScanState.GATHERING), ScanState.ACQUIRING));
        await(store.scans().transition(CLIENT, scanId, Set.of(ScanState.ACQUIRING), ScanState.COMMITTING));
        return await(store.listings().commit(CLIENT, new BatchKey(CLIENT, scanId, 1), docs)).scan().orElseThrow();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    }
}
