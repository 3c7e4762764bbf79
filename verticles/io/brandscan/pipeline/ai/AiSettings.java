package io.brandscan.pipeline.ai;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The AI phase's bounds, from its {@code ai} configuration slice. Keys and defaults:
 * {@code queue} ("ai", the logical name of {@code brand-ai-phase-queue}), {@code max_in_flight}
 * (2 scans scored at once per verticle), {@code page_size} (200 listings read, scored and
 * upserted per step; capped by the store's {@code page_max}), {@code worker_pool}
 * ("brandscan-ai") with {@code workers} (1 thread: scoring runs MiniLM inference; a scan has up
 * to workers + 1 pages being scored or written at once),
 * {@code max_reference_images} (20; a brand listing more fails its scan),
 * {@code embed_timeout_ms} (30000 per reference image embedding request),
 * {@code text_embeddings} (true: MiniLM beside the lexical match; false scores titles lexically).
 */
public record AiSettings(String queue, int maxInFlight, int pageSize, String workerPool, int workers,
                         int maxReferenceImages, Duration embedTimeout, boolean textEmbeddings) {

    public static final AiSettings DEFAULTS = new AiSettings("ai", 2, 200, "brandscan-ai", 1, 20,
            Duration.ofSeconds(30), true);

    public AiSettings {
        if (queue == null || queue.isBlank()) {
            throw new IllegalArgumentException("ai.queue must be set");
        }
        requireRange("max_in_flight", maxInFlight, 1, 100);
        requireRange("page_size", pageSize, 1, 10_000);
        if (workerPool == null || workerPool.isBlank()) {
            throw new IllegalArgumentException("ai.worker_pool must be set");
        }
        requireRange("workers", workers, 1, 64);
        requireRange("max_reference_images", maxReferenceImages, 1, 1000);
        if (embedTimeout.isNegative() || embedTimeout.isZero()) {
            throw new IllegalArgumentException("ai.embed_timeout_ms must be positive");
        }
    }

    public static AiSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        AiSettings d = DEFAULTS;
        return new AiSettings(
                c.getString("queue", d.queue),
                c.getInteger("max_in_flight", d.maxInFlight),
                c.getInteger("page_size", d.pageSize),
                c.getString("worker_pool", d.workerPool),
                c.getInteger("workers", d.workers),
                c.getInteger("max_reference_images", d.maxReferenceImages),
                Duration.ofMillis(c.getLong("embed_timeout_ms", d.embedTimeout.toMillis())),
                c.getBoolean("text_embeddings", d.textEmbeddings));
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("ai." + key + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
