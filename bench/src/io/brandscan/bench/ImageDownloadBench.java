package io.brandscan.bench;

import static io.brandscan.bench.BenchArgs.intArg;

import io.brandscan.acquire.DownloadSettings;
import io.brandscan.acquire.ImageDownloader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What the SSRF-safe downloader costs against a plain Vert.x HTTP client fetching the same
 * images from the same loopback server with the same pool size, in the same run (ratios, because
 * the machine is shared). Three ways: the bare client (baseline), the downloader on an address
 * literal (policy, pinning, caps, magic-byte check), and the downloader on the name "localhost"
 * (plus a JVM lookup on a worker thread per hop). Measures; asserts nothing.
 */
public final class ImageDownloadBench {
    public static void main(String[] args) throws Exception {
        int downloads = intArg(args, "--downloads", 2000);
        int concurrency = intArg(args, "--concurrency", 32);
        int rounds = intArg(args, "--rounds", 3);
        Vertx vertx = Vertx.vertx();
        Map<String, Buffer> images = new LinkedHashMap<>();
        try (var files = Files.list(Path.of("src/test/resources/images"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".png") || f.toString().endsWith(".jpg")).sorted().toList()) {
                images.put("/" + p.getFileName(), Buffer.buffer(Files.readAllBytes(p)));
            }
        }
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            Buffer body = images.get(req.path());
            if (body == null) {
                req.response().setStatusCode(404).end();
            } else {
                req.response().putHeader("Content-Type", req.path().endsWith(".png") ? "image/png" : "image/jpeg").end(body);
            }
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int port = server.actualPort();
        List<String> paths = new ArrayList<>(images.keySet());

        DownloadSettings settings = DownloadSettings.fromJson(new JsonObject()
                .put("allow", new JsonArray().add("127.0.0.1:" + port).add("localhost:" + port))
                .put("max_connections", concurrency).put("max_bytes", 2 * 1024 * 1024));
        ImageDownloader downloader = ImageDownloader.create(vertx, settings);
        HttpClient plain = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(concurrency));

        Function<String, Future<Integer>> baseline = path -> plain.request(HttpMethod.GET, port, "127.0.0.1", path)
                .compose(r -> r.send()).compose(r -> r.body()).map(Buffer::length);
        Function<String, Future<Integer>> literal = path -> downloader.download("http://127.0.0.1:" + port + path)
                .map(d -> d.bytes().length);
        Function<String, Future<Integer>> byName = path -> downloader.download("http://localhost:" + port + path)
                .map(d -> d.bytes().length);

        run("warm-up", vertx, baseline, paths, downloads / 4, concurrency);
        run("warm-up", vertx, literal, paths, downloads / 4, concurrency);
        run("warm-up", vertx, byName, paths, downloads / 4, concurrency);
        double[] base = new double[rounds];
        double[] lit = new double[rounds];
        double[] name = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            base[r] = run("bare client", vertx, baseline, paths, downloads, concurrency);
            lit[r] = run("downloader, literal", vertx, literal, paths, downloads, concurrency);
            name[r] = run("downloader, localhost", vertx, byName, paths, downloads, concurrency);
        }
        double b = median(base);
        double l = median(lit);
        double n = median(name);
        long bytes = images.values().stream().mapToLong(Buffer::length).sum() / images.size();
        StringBuilder md = new StringBuilder()
                .append("| way (").append(downloads).append(" downloads, concurrency ").append(concurrency)
                .append(", mean image ").append(bytes / 1024).append(" KiB, median of ").append(rounds).append(" rounds) ")
                .append("| downloads/s | ratio to bare client |\n|---|---|---|\n")
                .append(String.format("| bare Vert.x HttpClient (baseline) | %.0f | 1.00 |%n", b))
                .append(String.format("| ImageDownloader, address literal URL | %.0f | %.2f |%n", l, l / b))
                .append(String.format("| ImageDownloader, `localhost` URL (JVM lookup per hop) | %.0f | %.2f |%n", n, n / b));
        System.out.print(md);
        Files.createDirectories(Path.of("bench/results"));
        Files.writeString(Path.of("bench/results/image-download.md"), md.toString());
        downloader.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Downloads {@code count} images with {@code concurrency} in flight; returns downloads per second. */
    private static double run(String label, Vertx vertx, Function<String, Future<Integer>> fetch, List<String> paths,
                              int count, int concurrency) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        var finished = new java.util.concurrent.CompletableFuture<Void>();
        long start = System.nanoTime();
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= count) {
                return;
            }
            fetch.apply(paths.get(i % paths.size())).onComplete(ar -> {
                if (ar.succeeded()) {
                    bytes.addAndGet(ar.result());
                } else {
                    failures.incrementAndGet();
                }
                if (done.incrementAndGet() == count) {
                    finished.complete(null);
                } else {
                    pump[0].run();
                }
            });
        };
        vertx.runOnContext(v -> {
            for (int c = 0; c < concurrency; c++) {
                pump[0].run();
            }
        });
        finished.get(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = count / seconds;
        System.err.printf("%-24s %6d downloads in %6.2f s: %7.0f/s, %6.1f MiB/s, %d failures%n",
                label, count, seconds, rate, bytes.get() / seconds / (1024 * 1024), failures.get());
        if (failures.get() > 0) {
            throw new IllegalStateException(label + ": " + failures.get() + " downloads failed");
        }
        return rate;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
