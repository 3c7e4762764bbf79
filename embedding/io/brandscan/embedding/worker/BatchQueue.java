package io.brandscan.embedding.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The micro-batching policy of the embedding worker, without Vert.x: a bounded queue of waiting
 * requests and a fixed number of inference slots.
 *
 * <p>A batch is handed out when a slot is free and either {@code maxBatch} requests are waiting
 * (a full batch gains nothing by waiting) or the oldest has waited {@code maxWait} (a lone request
 * is not held hostage for company). At most {@code maxQueue} requests wait; {@link #offer} refuses
 * the rest, so a burst meets a clear refusal instead of unbounded memory. In-flight work is bounded
 * too: {@code slots} batches of at most {@code maxBatch}.
 *
 * <p>Not thread-safe: one owner (the verticle's event loop) calls it.
 *
 * @param <T> what a request carries (the verticle keeps the image and the message to answer)
 */
public final class BatchQueue<T> {

    private record Waiting<T>(T item, Instant since) {
    }

    private final int maxBatch;
    private final Duration maxWait;
    private final int maxQueue;
    private final int slots;
    private final Clock clock;
    private final ArrayDeque<Waiting<T>> waiting = new ArrayDeque<>();
    private int inFlight;

    public BatchQueue(int maxBatch, Duration maxWait, int maxQueue, int slots, Clock clock) {
        if (maxBatch < 1 || maxQueue < 1 || slots < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxBatch, maxQueue and slots must be positive and maxWait not negative");
        }
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.maxQueue = maxQueue;
        this.slots = slots;
        this.clock = clock;
    }

    /** Queues a request; false, and nothing queued, when {@code maxQueue} requests already wait. */
    public boolean offer(T item) {
        if (waiting.size() >= maxQueue) {
            return false;
        }
        waiting.addLast(new Waiting<>(item, clock.instant()));
        return true;
    }

    /**
     * The next batch to run, oldest requests first, at most {@code maxBatch}; empty when no slot is
     * free or the waiting requests may still wait for company. A non-empty batch takes a slot until
     * {@link #release()}.
     */
    public List<T> takeReady() {
        if (inFlight >= slots || waiting.isEmpty()) {
            return List.of();
        }
        if (waiting.size() < maxBatch && timeUntilDue().orElseThrow().compareTo(Duration.ZERO) > 0) {
            return List.of();
        }
        int n = Math.min(maxBatch, waiting.size());
        List<T> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(waiting.removeFirst().item());
        }
        inFlight++;
        return batch;
    }

    /** A batch handed out by {@link #takeReady()} has finished, whatever its outcome. */
    public void release() {
        if (inFlight == 0) {
            throw new IllegalStateException("release without a batch in flight");
        }
        inFlight--;
    }

    /**
     * How long until the oldest waiting request is due (zero or negative: due now); empty when
     * nothing waits. The owner sets a timer for it so a lone request is flushed.
     */
    public Optional<Duration> timeUntilDue() {
        Waiting<T> oldest = waiting.peekFirst();
        if (oldest == null) {
            return Optional.empty();
        }
        return Optional.of(maxWait.minus(Duration.between(oldest.since(), clock.instant())));
    }

    /** Removes and returns every waiting request (shutdown: they are answered, not lost). */
    public List<T> drainWaiting() {
        List<T> all = new ArrayList<>(waiting.size());
        waiting.forEach(w -> all.add(w.item()));
        waiting.clear();
        return all;
    }

    public int waiting() {
        return waiting.size();
    }

    public int inFlight() {
        return inFlight;
    }

    public boolean hasFreeSlot() {
        return inFlight < slots;
    }

    public int maxQueue() {
        return maxQueue;
    }
}
