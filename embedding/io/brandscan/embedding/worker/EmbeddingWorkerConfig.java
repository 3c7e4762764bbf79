package io.brandscan.embedding.worker;

import io.brandscan.embedding.model.EmbeddingModelSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The embedding worker's configuration slice, validated: batching, queue bound, worker pool and
 * the model. Bad values fail deployment with a message naming the key.
 *
 * @param maxBatch most images per inference call ({@code max_batch}, default 16)
 * @param maxWait longest a request waits for a batch to fill ({@code max_wait_ms}, default 5)
 * @param maxQueue most requests waiting for a slot; beyond it requests are refused at once
 *     ({@code max_queue}, default 256)
 * @param workers inference threads, one predictor each, batches run side by side ({@code workers},
 *     default 1); raise it to use more cores, together with {@code model.intra_op_threads}
 * @param workerPool name of the Vert.x worker pool the inference runs on ({@code worker_pool},
 *     default {@code brandscan-embedding})
 * @param model the model ({@code model}, an object read by {@link EmbeddingModelSpec#fromMap})
 */
public record EmbeddingWorkerConfig(int maxBatch, Duration maxWait, int maxQueue, int workers, String workerPool,
        EmbeddingModelSpec model) {

    public static final int DEFAULT_MAX_BATCH = 16;
    public static final long DEFAULT_MAX_WAIT_MS = 5;
    public static final int DEFAULT_MAX_QUEUE = 256;
    public static final int DEFAULT_WORKERS = 1;
    public static final String DEFAULT_WORKER_POOL = "brandscan-embedding";

    private static final Set<String> KEYS = Set.of("max_batch", "max_wait_ms", "max_queue", "workers", "worker_pool", "model");

    public EmbeddingWorkerConfig {
        range("max_batch", maxBatch, 1, 1024);
        range("max_wait_ms", maxWait.toMillis(), 0, 60_000);
        range("max_queue", maxQueue, 1, 1_000_000);
        range("workers", workers, 1, 256);
        if (workerPool == null || workerPool.isBlank()) {
            throw new IllegalArgumentException("embedding conf field 'worker_pool' must be a non-empty string");
        }
        if (model == null) {
            throw new IllegalArgumentException("embedding conf field 'model' is required");
        }
    }

    /**
     * Reads the slice; {@code model} may be a nested map (a {@code JsonObject}'s map is converted
     * by the verticle).
     */
    public static EmbeddingWorkerConfig fromMap(Map<String, ?> conf) {
        for (String key : conf.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("embedding conf field '" + key + "' is unknown; known keys are "
                        + new java.util.TreeSet<>(KEYS));
            }
        }
        Object model = conf.get("model");
        if (model != null && !(model instanceof Map)) {
            throw new IllegalArgumentException("embedding conf field 'model' must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> modelMap = model == null ? Map.of() : (Map<String, ?>) model;
        Object pool = conf.get("worker_pool");
        if (pool != null && !(pool instanceof String)) {
            throw new IllegalArgumentException("embedding conf field 'worker_pool' must be a string");
        }
        return new EmbeddingWorkerConfig(
                whole(conf, "max_batch", DEFAULT_MAX_BATCH),
                Duration.ofMillis(whole(conf, "max_wait_ms", DEFAULT_MAX_WAIT_MS)),
                whole(conf, "max_queue", DEFAULT_MAX_QUEUE),
                whole(conf, "workers", DEFAULT_WORKERS),
                pool == null ? DEFAULT_WORKER_POOL : (String) pool,
                EmbeddingModelSpec.fromMap(modelMap));
    }

    private static int whole(Map<String, ?> conf, String key, long fallback) {
        Object v = conf.get(key);
        if (v == null) {
            return (int) fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e9) {
            return n.intValue();
        }
        throw new IllegalArgumentException("embedding conf field '" + key + "' must be a whole number, got " + v);
    }

    private static void range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("embedding conf field '" + key + "' must be between " + min + " and "
                    + max + ", got " + value);
        }
    }
}
