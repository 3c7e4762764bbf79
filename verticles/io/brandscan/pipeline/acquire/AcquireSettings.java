package io.brandscan.pipeline.acquire;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The acquire verticle's own bounds, from its {@code acquire} configuration slice (the adapters
 * read their own slices: {@code sqs}, {@code s3}, {@code mongo}, {@code store},
 * {@code download}, {@code registry_client}, {@code decode}).
 *
 * @param queue           logical or real name of the queue consumed ({@code url-process-queue})
 * @param aiQueue         logical or real name of the queue the AI phase message goes to
 * @param maxInFlight     url jobs handled at once by one verticle instance
 * @param decodeWorkers   threads of the shared worker pool that decodes and fingerprints
 * @param workerPool      name of that pool
 * @param embedTimeout    how long one embedding request may take before the job is retried
 * @param sweepInterval   how often scans stuck in acquiring/committing are offered a claim-commit
 *                        (zero disables the sweeper)
 * @param stuckAfter      a scan unchanged for this long is looked at by the sweeper
 * @param sweepLimit      scans looked at per sweep
 * @param progressEvery   a progress event is persisted every this many urls done (and at the end)
 * @param gatherWait      how long a committer waits for gather to move the scan from gathering to
 *                        acquiring (gather enqueues the jobs first, so a small batch can finish first)
 * @param commitGrace     on stop, how long a commit already under way may run on before the worker
 *                        gives its lease back to the registry (kept inside the launcher's 30 s shutdown)
 * @param preresize       the decode pool also resizes each image to the embedding model's input
 *                        (the {@code embedding.model} slice), exactly as the embedding worker would:
 *                        the same embedding, but the one inference thread only runs the model, and
 *                        a remote (GPU) embedding worker receives 224 x 224 pixels, not the photo
 */
public record AcquireSettings(String queue, String aiQueue, int maxInFlight, int decodeWorkers, String workerPool,
                              Duration embedTimeout, Duration sweepInterval, Duration stuckAfter, int sweepLimit,
                              int progressEvery, Duration gatherWait, Duration commitGrace, boolean preresize) {

    /** The most {@code commit_grace_ms} may be: the launcher gives a stopping group 30 s in all. */
    public static final long MAX_COMMIT_GRACE_MS = 25_000;

    public AcquireSettings {
        require(queue != null && !queue.isBlank(), "queue must be set");
        require(aiQueue != null && !aiQueue.isBlank(), "ai_queue must be set");
        require(maxInFlight >= 1 && maxInFlight <= 1000, "max_in_flight must be in 1..1000");
        require(decodeWorkers >= 1 && decodeWorkers <= 64, "decode_workers must be in 1..64");
        require(workerPool != null && !workerPool.isBlank(), "worker_pool must be set");
        require(embedTimeout.toMillis() >= 1, "embed_timeout_ms must be positive");
        require(!sweepInterval.isNegative(), "sweep_interval_ms must not be negative");
        require(stuckAfter.toMillis() >= 1, "stuck_after_ms must be positive");
        require(sweepLimit >= 1 && sweepLimit <= 500, "sweep_limit must be in 1..500");
        require(progressEvery >= 1, "progress_every must be at least 1");
        require(!gatherWait.isNegative(), "gather_wait_ms must not be negative");
        require(!commitGrace.isNegative() && commitGrace.toMillis() <= MAX_COMMIT_GRACE_MS,
                "commit_grace_ms must be in 0.." + MAX_COMMIT_GRACE_MS);
    }

    /**
     * Keys and defaults: {@code queue} (acquire), {@code ai_queue} (ai), {@code max_in_flight} (16),
     * {@code decode_workers} (2), {@code worker_pool} (brandscan-acquire), {@code embed_timeout_ms}
     * (30000), {@code sweep_interval_ms} (10000), {@code stuck_after_ms} (30000), {@code sweep_limit}
     * (50), {@code progress_every} (25), {@code gather_wait_ms} (5000),
     * {@code commit_grace_ms} (10000), {@code preresize} (true).
     */
    public static AcquireSettings fromJson(JsonObject conf) {
        JsonObject c = conf == null ? new JsonObject() : conf;
        try {
            return new AcquireSettings(
                    c.getString("queue", "acquire"),
                    c.getString("ai_queue", "ai"),
                    c.getInteger("max_in_flight", 16),
                    c.getInteger("decode_workers", 2),
                    c.getString("worker_pool", "brandscan-acquire"),
                    Duration.ofMillis(c.getLong("embed_timeout_ms", 30_000L)),
                    Duration.ofMillis(c.getLong("sweep_interval_ms", 10_000L)),
                    Duration.ofMillis(c.getLong("stuck_after_ms", 30_000L)),
                    c.getInteger("sweep_limit", 50),
                    c.getInteger("progress_every", 25),
                    Duration.ofMillis(c.getLong("gather_wait_ms", 5_000L)),
                    Duration.ofMillis(c.getLong("commit_grace_ms", 10_000L)),
                    c.getBoolean("preresize", true));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("acquire: a key has the wrong type: " + e.getMessage(), e);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("acquire: " + message);
        }
    }
}
