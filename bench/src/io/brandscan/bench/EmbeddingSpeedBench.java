package io.brandscan.bench;

import static io.brandscan.bench.BenchArgs.intArg;
import static io.brandscan.bench.BenchArgs.stringArg;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.model.ImagePreprocessor;
import io.brandscan.embedding.worker.EmbeddingClient;
import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Embedding speed: images per second through the embedding verticle (event bus, micro-batching,
 * worker pool, DJL, layout, L2) against a bare ONNX Runtime session on the same model, the same
 * batch size, the same thread count and the same preprocessed input, measured in the same run,
 * rounds interleaved so machine noise hits both sides alike. Also the ImageEmbedder called
 * directly (DJL without the verticle), and the time share of decoding and preprocessing.
 *
 * <p>Run: {@code bench/embedding-speed.sh [--rounds 7] [--warmup 2] [--images 64] [--threads N]}.
 */
public final class EmbeddingSpeedBench {

    private static final int[] BATCHES = {1, 8, 32};

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true"); // before DJL loads: no telemetry dial-out
        int rounds = intArg(args, "--rounds", 7);
        int warmup = intArg(args, "--warmup", 2);
        int count = intArg(args, "--images", 64);
        int threads = intArg(args, "--threads", 1); // the embedder's default intra_op_threads
        Path imageDir = Path.of(stringArg(args, "--images-dir", "src/test/resources/images"));
        Path out = Path.of(stringArg(args, "--out", "bench/results/embedding-speed.md"));

        EmbeddingModelSpec spec = EmbeddingModelSpec.defaults().with("intra_op_threads", threads);
        ImagePreprocessor preprocessor = new ImagePreprocessor(spec);

        // Inputs: the test images as file bytes (for the decode share) and, resized once, as
        // 224x224 images (the "same preprocessed input" both sides get).
        List<byte[]> files = new ArrayList<>();
        try (var stream = Files.list(imageDir)) {
            for (Path p : stream.filter(p -> p.toString().matches(".*\\.(png|jpg)$")).sorted().toList()) {
                files.add(Files.readAllBytes(p));
            }
        }
        List<BufferedImage> decoded = new ArrayList<>();
        for (byte[] f : files) {
            decoded.add(decode(f));
        }
        List<BufferedImage> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inputs.add(preprocessor.resize(decoded.get(i % decoded.size())));
        }

        String loadStart = loadAverage();
        List<String> rows = new ArrayList<>();
        double[] perImageInferenceMs = new double[BATCHES.length];
        Vertx vertx = Vertx.vertx();
        // DJL must create the ONNX Runtime environment (it sets thread options, which fails once
        // a plain environment exists), so the ImageEmbedder loads first.
        ImageEmbedder.initialiseEngine();
        try (OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            Path modelFile = io.brandscan.embedding.model.ModelFile.resolve(spec.modelPath());
            try (OrtSession session = env.createSession(modelFile.toString(), options);
                    ImageEmbedder direct = ImageEmbedder.load(spec)) {
                for (int b = 0; b < BATCHES.length; b++) {
                    int batch = BATCHES[b];
                    List<float[]> tensors = new ArrayList<>();
                    for (int i = 0; i < count; i += batch) {
                        tensors.add(preprocessor.toTensor(inputs.subList(i, Math.min(count, i + batch))));
                    }
                    JsonObject conf = new JsonObject().put("max_batch", batch).put("max_wait_ms", 5)
                            .put("max_queue", 4 * batch).put("workers", 1)
                            .put("model", new JsonObject(spec.toMap()));
                    String deployment = vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(conf))
                            .toCompletionStage().toCompletableFuture().get();
                    EmbeddingClient client = new EmbeddingClient(vertx, Duration.ofMinutes(5));
                    double[] bare = new double[rounds];
                    double[] verticle = new double[rounds];
                    double[] embedder = new double[rounds];
                    for (int r = -warmup; r < rounds; r++) {
                        double[] rates = new double[3];
                        // rotate which side goes first, so drift and spin-down of the previous
                        // side's threads do not always favour the same one
                        for (int k = 0; k < 3; k++) {
                            int side = Math.floorMod(r + k, 3);
                            rates[side] = count / seconds(switch (side) {
                                case 0 -> () -> runBare(env, session, tensors, preprocessor, batch);
                                case 1 -> () -> runVerticle(vertx, client, inputs, 2 * batch);
                                default -> () -> {
                                    for (int i = 0; i < count; i += batch) {
                                        direct.embed(inputs.subList(i, Math.min(count, i + batch)));
                                    }
                                };
                            });
                        }
                        if (r >= 0) {
                            bare[r] = rates[0];
                            verticle[r] = rates[1];
                            embedder[r] = rates[2];
                        }
                    }
                    vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get();
                    double bareMedian = median(bare);
                    double verticleMedian = median(verticle);
                    double embedderMedian = median(embedder);
                    perImageInferenceMs[b] = 1000.0 / verticleMedian;
                    // Ratios per round (both sides measured seconds apart), then the median: far
                    // steadier on a shared machine than a ratio of two medians.
                    double[] verticleRatio = new double[rounds];
                    double[] embedderRatio = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        verticleRatio[r] = verticle[r] / bare[r];
                        embedderRatio[r] = embedder[r] / bare[r];
                    }
                    rows.add(String.format("| %d | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f-%.2f |", batch, bareMedian,
                            embedderMedian, verticleMedian, median(embedderRatio), median(verticleRatio),
                            min(verticleRatio), max(verticleRatio)));
                    System.out.println(rows.get(rows.size() - 1));
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }

        // Decode and preprocess shares: full-size test images, per image, median of rounds.
        double[] decodeMs = new double[rounds];
        double[] preprocessMs = new double[rounds];
        float[] scratch = new float[preprocessor.valuesPerImage()];
        for (int r = -warmup; r < rounds; r++) {
            double d = seconds(() -> {
                for (byte[] f : files) {
                    decode(f);
                }
            }) * 1000 / files.size();
            double p = seconds(() -> {
                for (BufferedImage image : decoded) {
                    preprocessor.write(image, scratch, 0);
                }
            }) * 1000 / decoded.size();
            if (r >= 0) {
                decodeMs[r] = d;
                preprocessMs[r] = p;
            }
        }
        double decode = median(decodeMs);
        double preprocess = median(preprocessMs);
        List<String> shares = new ArrayList<>();
        for (int b = 0; b < BATCHES.length; b++) {
            double total = decode + preprocess + perImageInferenceMs[b];
            shares.add(String.format("| %d | %.2f | %.2f | %.2f | %.0f%% | %.0f%% |", BATCHES[b], decode, preprocess,
                    perImageInferenceMs[b], 100 * decode / total, 100 * preprocess / total));
        }
        String sizes = decoded.stream().map(i -> i.getWidth() + "x" + i.getHeight()).distinct().sorted().toList().toString();
        String report = String.join("\n",
                "# Embedding speed",
                "",
                "Run " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                        + System.getProperty("java.version") + ", ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion()
                        + ", model " + spec.modelPath() + ", intra-op threads " + threads + ", " + count
                        + " images per round, " + warmup + " warm-up + " + rounds + " rounds (sides interleaved), medians.",
                "",
                "Images per second on the same 224x224 images. Bare ORT: `OrtSession.run` on tensors laid out",
                "before timing. ImageEmbedder: DJL predictor, tensor layout and L2 in the calling thread. Verticle:",
                "`EmbeddingClient` requests (2 x batch in flight) through the event bus, micro-batching",
                "(max_batch = batch, max_wait_ms 5), one worker thread. Ratios are medians of per-round ratios.",
                "Goal: verticle / bare >= 0.9. Load average (1 min) at start " + loadStart + ", at end " + loadAverage()
                        + " (the machine is shared; a load well above the core count makes every figure noisy).",
                "",
                "| batch | bare ORT img/s | ImageEmbedder img/s | verticle img/s | embedder / bare | verticle / bare | verticle / bare, min-max |",
                "|---:|---:|---:|---:|---:|---:|---:|",
                String.join("\n", rows),
                "",
                "Where the time of one image goes, from file bytes to vector: ImageIO decode and",
                "preprocessing (progressive bilinear resize to 224x224, layout, normalisation) of the "
                        + files.size() + " full-size test images " + sizes + ", against inference",
                "per image through the verticle at each batch size.",
                "",
                "| batch | decode ms/img | preprocess ms/img | inference ms/img | decode share | preprocess share |",
                "|---:|---:|---:|---:|---:|---:|",
                String.join("\n", shares),
                "");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("written to " + out);
        System.exit(0);
    }

    private static void runBare(OrtEnvironment env, OrtSession session, List<float[]> tensors,
            ImagePreprocessor preprocessor, int batch) {
        try {
            for (float[] t : tensors) {
                int n = t.length / preprocessor.valuesPerImage();
                try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(t), preprocessor.shape(n));
                        OrtSession.Result result = session.run(Map.of("input", input))) {
                    float[][] embedding = (float[][]) result.get("embedding").orElseThrow().getValue();
                    if (embedding.length != n) {
                        throw new IllegalStateException("bad output rows " + embedding.length);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends every image, keeping {@code window} requests in flight so batches can fill. */
    private static void runVerticle(Vertx vertx, EmbeddingClient client, List<BufferedImage> inputs, int window) {
        Promise<Void> done = Promise.promise();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        vertx.runOnContext(v -> {
            for (int i = 0; i < window && i < inputs.size(); i++) {
                sendNext(client, inputs, next, finished, done);
            }
        });
        try {
            done.future().toCompletionStage().toCompletableFuture().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sendNext(EmbeddingClient client, List<BufferedImage> inputs, AtomicInteger next,
            AtomicInteger finished, Promise<Void> done) {
        int i = next.getAndIncrement();
        if (i >= inputs.size()) {
            return;
        }
        Future<float[]> f = client.embed(inputs.get(i));
        f.onFailure(done::tryFail).onSuccess(vector -> {
            if (finished.incrementAndGet() == inputs.size()) {
                done.tryComplete();
            } else {
                sendNext(client, inputs, next, finished, done);
            }
        });
    }

    private static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalStateException("undecodable image");
            }
            return image;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
