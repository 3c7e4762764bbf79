package io.brandscan.bench;

import io.brandscan.demo.DemoMarketplaceVerticle;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.worker.EmbeddingClient;
import io.brandscan.launcher.AllGroup;
import io.brandscan.launcher.GroupConfig;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.pipeline.ScanStarter;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.queue.SqsBroker;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.brandscan.store.ScanStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A whole scan on the embedded stack ({@code all} group in this process: ElasticMQ, s3proxy,
 * mongo-java-server, the registry, gather, acquire, ai, the embedding worker) against the demo
 * marketplace with N listings: URLs per second from the scan's start to {@code complete}, against
 * the embedding stage alone in the same run (the same EmbeddingVerticle fed the same N images'
 * decoded pixels as fast as it takes them, chunks of its own max_batch with a few chunks in
 * flight), with the time of each stage from the scan's {@code state_times}. The baseline runs
 * before and after the scan and the mean is used: these machines are shared and noisy. The
 * marketplace's photos are fetched once before the scan, so its image cache holds them all and
 * rendering is not charged to the pipeline. Measures; asserts nothing.
 *
 * <p>Arguments: {@code --listings N} (2000), {@code --warmup N} (listings of each warm-up scan,
 * each on another marketplace; default: two and a half times {@code --listings}),
 * {@code --max-warmups K} (5) and {@code --settled F} (0.15): warm-up scans run until the JIT's
 * compilation time during one is under F of its wall time, at most K of them, {@code --conf <json>} merged over conf/all.json
 * (e.g. {@code {"acquire":{"max_in_flight":32}}}), {@code --out <file>} (bench/results/pipeline.md).
 */
public final class PipelineBench {
    private static final String CLIENT = "bench";
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    /** Process CPU time when the scan was first seen in each state (for CPU per url by stage). */
    private static final Map<ScanState, Long> CPU_AT = new java.util.EnumMap<>(ScanState.class);
    private static final java.lang.management.CompilationMXBean JIT = java.lang.management.ManagementFactory.getCompilationMXBean();

    /** CPU seconds of this whole process so far: on a shared, loaded machine it is steadier than the wall clock. */
    private static long cpuNanos() {
        return OS.getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        ImageEmbedder.initialiseEngine();
        int listings = 2000;
        int warmup = -1; // default: two and a half times the measured scan
        int maxWarmups = 5;
        double settled = 0.15;
        String confArg = null;
        Path out = Path.of("bench/results/pipeline.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listings" -> listings = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--max-warmups" -> maxWarmups = Integer.parseInt(args[++i]);
                case "--settled" -> settled = Double.parseDouble(args[++i]);
                case "--conf" -> confArg = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (warmup < 0) {
            // A worker runs for days; the JIT does not settle in one scan. With a warm-up of 200
            // listings its compiler threads took a quarter of the CPU of the measured acquire
            // phase, after 2,000 still a fifth, after 10,000 about a sixth: so warm-up scans run
            // until the compiler is mostly done (--settled), not for a fixed count.
            warmup = 5 * listings / 2;
        }
        if (warmup == 0) {
            maxWarmups = 0;
        }
        Vertx vertx = Vertx.vertx();
        try {
            run(vertx, listings, warmup, maxWarmups, settled, confArg, out);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        System.exit(0); // the AWS SDK's and Hazelcast-free Netty threads should not hold the JVM
    }

    private static void run(Vertx vertx, int listings, int warmup, int maxWarmups, double settled, String confArg,
                            Path out) throws Exception {
        DemoMarketplaceVerticle market = new DemoMarketplaceVerticle();
        await(vertx.deployVerticle(market, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
                .put("size", listings).put("image_cache_entries", listings + 64))));
        // Marketplaces with other seeds (other urls, other photos: each warm-up scan uploads new
        // images as the measured one does) for the warm-up scans, so the JIT has compiled the whole
        // stack (SDK, stand-ins, pipeline) before the measured scan, as the baseline is warmed up too.
        List<DemoMarketplaceVerticle> warmMarkets = new ArrayList<>();
        for (int i = 0; i < maxWarmups; i++) {
            DemoMarketplaceVerticle warmMarket = new DemoMarketplaceVerticle();
            await(vertx.deployVerticle(warmMarket, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
                    .put("size", warmup).put("seed", 7 + i))));
            warmMarkets.add(warmMarket);
        }
        JsonObject conf = GroupConfig.load("all", confArg, Map.of());
        for (String slice : List.of("gather", "download")) {
            JsonObject s = conf.getJsonObject(slice, new JsonObject());
            JsonArray allow = s.getJsonArray("allow", new JsonArray()).copy().add("127.0.0.1:" + market.actualPort());
            for (DemoMarketplaceVerticle warmMarket : warmMarkets) {
                allow.add("127.0.0.1:" + warmMarket.actualPort());
            }
            conf.put(slice, s.put("allow", allow));
        }
        // The json-feed provider keeps 1000 listings per fetch by default: the bench wants them all.
        JsonObject gather = conf.getJsonObject("gather");
        gather.put("max_listings", Math.max(gather.getInteger("max_listings", 1000), Math.max(listings, warmup)));
        System.err.printf("starting the all group (acquire %s, embedding %s)%n", conf.getJsonObject("acquire"),
                conf.getJsonObject("embedding"));
        JsonObject workers = await(AllGroup.start(vertx, conf, null));

        // The same images the scan will download, fetched once (this also fills the marketplace's cache).
        long f0 = System.nanoTime();
        List<byte[]> bytes = fetchImages(market.baseUrl() + "/feed.json");
        System.err.printf("fetched %d images in %.1f s%n", bytes.size(), (System.nanoTime() - f0) / 1e9);
        ImageDecoder decoder = ImageDecoder.withDefaults();
        int maxBatch = workers.getJsonObject("embedding", new JsonObject()).getInteger("max_batch", 16);
        EmbeddingClient embedding = new EmbeddingClient(vertx, Duration.ofMinutes(5));
        List<BufferedImage> warm = new ArrayList<>();
        for (byte[] b : bytes.subList(0, Math.min(maxBatch, bytes.size()))) {
            warm.add(decoder.decode(b).image());
        }
        await(embedding.embedAll(warm)); // warm-up
        double[] before = embedAll(embedding, decoder, bytes, maxBatch);
        double decodeSeconds = before[1];
        double embedBefore = before[0];
        System.err.printf("embedding stage alone: %.1f images/s (decode alone %.1f images/s)%n",
                bytes.size() / embedBefore, bytes.size() / decodeSeconds);

        Clock clock = Clock.systemUTC();
        ScanStore store = await(ScanStore.open(vertx, workers.getJsonObject("mongo"), workers.getJsonObject("store",
                new JsonObject()), clock));
        SqsBroker broker = SqsBroker.create(vertx, workers.getJsonObject("sqs"));
        String gatherQueue = workers.getJsonObject("gather", new JsonObject()).getString("queue", "gather");
        ScanStarter starter = new ScanStarter(store.scans(), await(broker.open(gatherQueue)),
                new ScanProgress(vertx, store.scans(), clock));
        int warmupScans = 0;
        double warmupJit = Double.NaN;
        for (DemoMarketplaceVerticle warmMarket : warmMarkets) {
            System.err.printf("warm-up scan %d of %d listings%n", warmupScans + 1, warmup);
            long w0 = System.nanoTime();
            long jit0 = JIT.getTotalCompilationTime();
            runScan(store, starter, warmMarket);
            warmupScans++;
            warmupJit = (JIT.getTotalCompilationTime() - jit0) / ((System.nanoTime() - w0) / 1e6);
            System.err.printf("JIT compilation time during warm-up scan %d: %.1f%% of its wall time%n", warmupScans,
                    100 * warmupJit);
            // The stand-in (mongo-java-server) serves a query from an index only when the query's
            // fields are exactly a unique index's, so the commit's guarded upserts and the scoring's
            // reads scan whole collections: leave the warm-up's listings and findings behind and the
            // measured scan pays for them. Removed, the measured scan meets the database a first scan
            // would, with the JIT warm. (A real MongoDB serves both from the indexes the store makes.)
            MongoClient raw = MongoConnection.client(vertx, workers.getJsonObject("mongo"));
            await(raw.removeDocuments("listings", new JsonObject()));
            await(raw.removeDocuments("findings", new JsonObject()));
            await(raw.close());
            if (warmupJit < settled) {
                break;
            }
        }
        long s0 = System.nanoTime();
        long jit0 = JIT.getTotalCompilationTime();
        Scan scan = runScan(store, starter, market);
        double scanSeconds = (System.nanoTime() - s0) / 1e9;
        double scanJit = (JIT.getTotalCompilationTime() - jit0) / (scanSeconds * 1e3);
        double[] after = embedAll(embedding, decoder, bytes, maxBatch);
        double embedAfter = after[0];
        double embedCpuPerImage = (before[2] + after[2]) / (2.0 * bytes.size());
        System.err.printf("embedding stage alone (after): %.1f images/s%n", bytes.size() / embedAfter);

        double embedRate = 2 * bytes.size() / (embedBefore + embedAfter);
        long urls = scan.counts().committed() + scan.counts().failed();
        double scanRate = urls / scanSeconds;
        Map<ScanState, Instant> t = scan.stateTimes();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Pipeline bench: %d listings (after %d warm-up scan(s) of %d, the last with JIT"
                        + " compilation %.1f%% of its wall time) on the embedded stack, acquire %s, embedding %s, %s%n%n",
                listings, warmupScans, warmup, 100 * warmupJit, workers.getJsonObject("acquire"),
                workers.getJsonObject("embedding"), Instant.now()));
        md.append("| measure | value |\n|---|---|\n");
        md.append(row("embedding stage alone, before the scan (images/s)", bytes.size() / embedBefore));
        md.append(row("embedding stage alone, after the scan (images/s)", bytes.size() / embedAfter));
        md.append(row("decode alone, one thread (images/s)", bytes.size() / decodeSeconds));
        md.append(row("scan end to end, start to complete (urls/s)", scanRate));
        md.append(row("**ratio end to end / embedding stage** (goal >= 0.8)", scanRate / embedRate));
        md.append(row("scan wall time (s)", scanSeconds));
        md.append(row("JIT compilation time during the scan, share of its wall time (%)", 100 * scanJit));
        md.append(row("process CPU per image, embedding stage alone (ms)", 1000 * embedCpuPerImage));
        Long acquireCpu = cpuBetween(ScanState.ACQUIRING, ScanState.COMMITTING);
        Long scanCpu = cpuBetween(ScanState.QUEUED, ScanState.COMPLETE);
        if (acquireCpu != null) {
            md.append(row("process CPU per url, acquire phase (ms)", acquireCpu / 1e6 / urls));
            md.append(row("CPU ratio: embedding CPU per image / acquire CPU per url", embedCpuPerImage * 1e9 * urls / acquireCpu));
        }
        if (scanCpu != null) {
            md.append(row("process CPU per url, whole scan (ms)", scanCpu / 1e6 / urls));
            md.append(row("CPU ratio: embedding CPU per image / scan CPU per url", embedCpuPerImage * 1e9 * urls / scanCpu));
        }
        md.append(row("queued -> gathering (s)", seconds(t, ScanState.QUEUED, ScanState.GATHERING)));
        md.append(row("gather (s)", seconds(t, ScanState.GATHERING, ScanState.ACQUIRING)));
        md.append(row("acquire (s)", seconds(t, ScanState.ACQUIRING, ScanState.COMMITTING)));
        double acquireRate = urls / seconds(t, ScanState.ACQUIRING, ScanState.COMMITTING);
        md.append(row("acquire (urls/s)", acquireRate));
        md.append(row("ratio acquire phase / embedding stage", acquireRate / embedRate));
        md.append(row("commit (s)", seconds(t, ScanState.COMMITTING, ScanState.SCORING)));
        md.append(row("scoring (s)", seconds(t, ScanState.SCORING, ScanState.COMPLETE)));
        md.append(String.format(Locale.ROOT, "%ncounts: %s%n", scan.counts()));
        System.out.print("\n" + md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        broker.close();
        await(store.close());
    }

    /** Runs one scan of the demo brand against {@code market} to its end; fails unless it completes. */
    private static Scan runScan(ScanStore store, ScanStarter starter, DemoMarketplaceVerticle market) throws Exception {
        long s0 = System.nanoTime();
        CPU_AT.clear();
        long cpu0 = cpuNanos();
        Scan scan = await(starter.start(CLIENT, "astra-outfitters", market.brandDocument()));
        CPU_AT.put(ScanState.QUEUED, cpu0);
        String state = "";
        while (!scan.state().isTerminal() && System.nanoTime() - s0 < TimeUnit.MINUTES.toNanos(60)) {
            Thread.sleep(100);
            scan = await(store.scans().get(CLIENT, scan.id())).orElseThrow();
            if (!scan.state().wireName().equals(state)) {
                state = scan.state().wireName();
                CPU_AT.put(scan.state(), cpuNanos());
                System.err.printf("%6.1f s %s %s %s%n", (System.nanoTime() - s0) / 1e9, Instant.now(), state, scan.counts());
            }
        }
        if (scan.state() != ScanState.COMPLETE) {
            throw new IllegalStateException("the bench scan ended " + scan.state() + ": " + scan.error() + " " + scan.counts());
        }
        return scan;
    }

    /**
     * {seconds embedding, seconds decoding} of every image: a window of four chunks of maxBatch
     * images is decoded (not timed: 2,000 decoded photos do not fit a modest heap), then embedded
     * through the embedding verticle with the four chunks in flight (timed), so the verticle always
     * has a full batch waiting, as it would when fed as fast as it goes.
     */
    private static double[] embedAll(EmbeddingClient embedding, ImageDecoder decoder, List<byte[]> bytes, int maxBatch)
            throws Exception {
        long embedNanos = 0;
        long decodeNanos = 0;
        long embedCpu = 0;
        int window = maxBatch * 4;
        for (int from = 0; from < bytes.size(); from += window) {
            long d0 = System.nanoTime();
            List<BufferedImage> pixels = new ArrayList<>();
            for (byte[] b : bytes.subList(from, Math.min(bytes.size(), from + window))) {
                pixels.add(decoder.decode(b).image());
            }
            long e0 = System.nanoTime();
            long c0 = cpuNanos();
            decodeNanos += e0 - d0;
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            for (int c = 0; c < pixels.size(); c += maxBatch) {
                inFlight.add(embedding.embedAll(pixels.subList(c, Math.min(pixels.size(), c + maxBatch)))
                        .toCompletionStage().toCompletableFuture());
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            embedNanos += System.nanoTime() - e0;
            embedCpu += cpuNanos() - c0;
        }
        return new double[] {embedNanos / 1e9, decodeNanos / 1e9, embedCpu / 1e9};
    }

    private static List<byte[]> fetchImages(String feedUrl) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        JsonArray feed = new JsonArray(http.send(HttpRequest.newBuilder(URI.create(feedUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        List<CompletableFuture<byte[]>> pending = new ArrayList<>();
        Semaphore slots = new Semaphore(8);
        for (Object o : feed) {
            slots.acquire();
            String url = ((JsonObject) o).getString("image_url");
            pending.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((r, e) -> slots.release())
                    .thenApply(r -> {
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(url + " answered " + r.statusCode());
                        }
                        return r.body();
                    }));
        }
        List<byte[]> out = new ArrayList<>();
        for (CompletableFuture<byte[]> p : pending) {
            out.add(p.get(5, TimeUnit.MINUTES));
        }
        return out;
    }

    private static Long cpuBetween(ScanState from, ScanState to) {
        Long a = CPU_AT.get(from);
        Long b = CPU_AT.get(to);
        return a == null || b == null ? null : b - a;
    }

    private static double seconds(Map<ScanState, Instant> times, ScanState from, ScanState to) {
        Instant a = times.get(from);
        Instant b = times.get(to);
        return a == null || b == null ? Double.NaN : Duration.between(a, b).toMillis() / 1000.0;
    }

    private static String row(String what, double value) {
        return String.format(Locale.ROOT, "| %s | %.2f |%n", what, value);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    }
}
