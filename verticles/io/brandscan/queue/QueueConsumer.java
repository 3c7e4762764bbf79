package io.brandscan.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Pulls messages from one {@link SqsQueue} and runs a handler on each, on one Vert.x context.
 * It owns the bound on work in flight ({@code max_in_flight}) and the life of every message it
 * received: visibility is extended while the handler runs, the message is deleted only after the
 * handler's Future succeeds, and on failure it is made visible again after an exponential
 * backoff so SQS redelivers it and, past {@code maxReceiveCount}, moves it to the dead-letter
 * queue. {@link #stop()} hands every message still in flight back to SQS at once.
 *
 * <p>All fields are touched only on the consumer's context: SDK results arrive there through
 * {@link Future#fromCompletionStage}, and handler results are re-dispatched there.
 */
public final class QueueConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    private static final Duration POLL_ERROR_PAUSE = Duration.ofSeconds(1);
    /** How long a succeeded message's delete waits for others to share its request. */
    static final Duration DELETE_LINGER = Duration.ofMillis(10);

    private final Vertx vertx;
    private final Context context;
    private final SqsQueue queue;
    private final QueueSettings settings;
    private final Function<QueueMessage, Future<Void>> handler;
    private final BiFunction<QueueMessage, Throwable, Future<Void>> onLastFailure;
    private final Map<String, InFlight> inFlight = new LinkedHashMap<>();

    private boolean running;
    /** Outstanding receive calls, and how many messages they may bring back between them. */
    private final List<Future<Void>> pendingPolls = new ArrayList<>();
    private int reserved;
    private long retryTimer = -1;
    private long depthTimer = -1;
    /** Deletes waiting to go out in one batch request, and the timer that sends them. */
    private final List<PendingDelete> pendingDeletes = new ArrayList<>();
    private long deleteTimer = -1;
    // Counters are written on the context and read from anywhere (metrics, tests).
    private volatile int peakInFlight;
    private volatile long handled;
    private volatile long failed;

    private QueueConsumer(Vertx vertx, Context context, SqsQueue queue, QueueSettings settings,
                          Function<QueueMessage, Future<Void>> handler,
                          BiFunction<QueueMessage, Throwable, Future<Void>> onLastFailure) {
        this.vertx = vertx;
        this.context = context;
        this.queue = queue;
        this.settings = settings;
        this.handler = handler;
        this.onLastFailure = onLastFailure;
    }

    /**
     * Starts consuming with the queue's own settings. Call from the verticle that owns the
     * consumer (its context runs everything); from a non-Vert.x thread a new context is made.
     *
     * @param handler does the work; its Future must succeed only once the effect is durable
     */
    public static QueueConsumer start(Vertx vertx, SqsQueue queue, Function<QueueMessage, Future<Void>> handler) {
        return start(vertx, queue, queue.settings(), handler, (m, e) -> Future.succeededFuture());
    }

    /**
     * Starts consuming with explicit settings, and a hook called when a handler fails on a
     * message's last allowed attempt (receive count at {@code max_receive_count}) before SQS
     * moves it to the dead-letter queue: the place to record the reason on the scan.
     */
    public static QueueConsumer start(Vertx vertx, SqsQueue queue, QueueSettings settings,
                                      Function<QueueMessage, Future<Void>> handler,
                                      BiFunction<QueueMessage, Throwable, Future<Void>> onLastFailure) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(onLastFailure, "onLastFailure");
        Context context = vertx.getOrCreateContext();
        QueueConsumer consumer = new QueueConsumer(vertx, context, queue, settings, handler, onLastFailure);
        context.runOnContext(v -> {
            consumer.running = true;
            consumer.poll();
            consumer.depthTimer = vertx.setPeriodic(QueueMeters.DEPTH_EVERY_MS, id -> queue.depth()
                    .onSuccess(depth -> QueueMeters.depth(queue.name(), depth)));
        });
        return consumer;
    }

    /** Messages held now (handler running or delete pending); read it on the consumer's context. */
    public int inFlight() {
        return inFlight.size();
    }

    /** The most messages ever held at once: never above {@code max_in_flight}. */
    public int peakInFlight() {
        return peakInFlight;
    }

    /** Messages whose handler succeeded and which were then deleted from the queue. */
    public long handled() {
        return handled;
    }

    public long failed() {
        return failed;
    }

    /**
     * Stops asking SQS for more messages but keeps those held: their handlers run on, and a
     * message whose handler succeeds is still deleted. {@link #stop()} then hands back whatever
     * is left. A stopping worker pauses first so the work it is in the middle of (a commit) can
     * finish before the rest goes back to the queue.
     */
    public Future<Void> pause() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            running = false;
            if (retryTimer >= 0) {
                vertx.cancelTimer(retryTimer);
                retryTimer = -1;
            }
            // Nothing lingers for company any more: deletes go out as handlers succeed.
            flushDeletes();
            done.complete();
        });
        return done.future();
    }

    /**
     * Stops receiving and hands every in-flight message back to SQS with visibility 0, so
     * another worker takes it without waiting for the timeout. Handlers still running are not
     * interrupted: if one later succeeds its message is still deleted (handlers are idempotent,
     * so a second worker repeating it is harmless). Messages that a long poll still outstanding
     * brings back are handed back too; the Future completes once all of that is done (at most
     * {@code wait_time_s} after the call).
     */
    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            running = false;
            vertx.cancelTimer(depthTimer);
            flushDeletes();
            if (retryTimer >= 0) {
                vertx.cancelTimer(retryTimer);
                retryTimer = -1;
            }
            List<Future<Void>> handBacks = new ArrayList<>();
            int deleting = 0;
            for (InFlight work : new ArrayList<>(inFlight.values())) {
                if (work.deleting != null) {
                    deleting++;
                    handBacks.add(work.deleting.<Void>mapEmpty().otherwiseEmpty());
                } else {
                    QueueMeters.outcome(queue.name(), "handed_back");
                    handBacks.add(release(work, Duration.ZERO, "stopping"));
                }
            }
            LOG.info("consumer stopping queue={} handed_back={} deleting={}", queue.name(), handBacks.size() - deleting,
                    deleting);
            handBacks.addAll(pendingPolls);
            Future.join(handBacks).onComplete(r -> done.complete());
        });
        return done.future();
    }

    /**
     * Starts receive calls while there is room: up to {@code receivers} at once, each asking for
     * no more than the slots not already held or promised to another call, so messages held never
     * exceed {@code max_in_flight}.
     */
    private void poll() {
        while (running && retryTimer < 0 && pendingPolls.size() < settings.receivers()) {
            int room = settings.maxInFlight() - inFlight.size() - reserved;
            if (room <= 0) {
                return; // a finishing message calls poll() again
            }
            if (room < settings.receiveBatch() && !inFlight.isEmpty()
                    && settings.maxInFlight() >= 2 * settings.receiveBatch()) {
                // With a wide bound, wait for room for a whole batch rather than ask for one message
                // per finished one: work in flight keeps the handlers busy meanwhile, and every
                // receive call costs the SQS server as much as a full one (bench/pipeline.sh).
                return;
            }
            receive(Math.min(room, settings.receiveBatch()));
        }
    }

    private void receive(int max) {
        reserved += max;
        Promise<Void> pollDone = Promise.promise();
        pendingPolls.add(pollDone.future());
        Future.fromCompletionStage(queue.receiveRequest(max, settings.waitTime(), settings.visibilityTimeout()), context)
                .map(SqsQueue::toMessages)
                .onComplete(result -> {
                    reserved -= max;
                    pendingPolls.remove(pollDone.future());
                    if (result.failed()) {
                        LOG.warn("receive failed queue={} error={}", queue.name(), String.valueOf(result.cause()));
                        pollDone.complete();
                        if (running && retryTimer < 0) {
                            retryTimer = vertx.setTimer(POLL_ERROR_PAUSE.toMillis(), t -> {
                                retryTimer = -1;
                                poll();
                            });
                        }
                        return;
                    }
                    List<Future<Void>> handBacks = new ArrayList<>();
                    for (QueueMessage message : result.result()) {
                        if (running) {
                            dispatch(message);
                        } else {
                            // Arrived after stop(): give it straight back rather than sit on it.
                            handBacks.add(queue.changeVisibility(message.receiptHandle(), Duration.ZERO));
                        }
                    }
                    Future.join(handBacks).onComplete(r -> pollDone.complete());
                    poll();
                });
    }

    private void dispatch(QueueMessage message) {
        InFlight work = new InFlight(message, System.nanoTime());
        inFlight.put(message.receiptHandle(), work);
        QueueMeters.held(queue.name()).incrementAndGet();
        peakInFlight = Math.max(peakInFlight, inFlight.size());
        work.extender = vertx.setPeriodic(settings.extendEvery().toMillis(), id -> extend(work));
        Future<Void> result;
        try {
            result = Objects.requireNonNull(handler.apply(message), "handler returned null");
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        // The handler's Future may complete on another context; hop back to ours first.
        Promise<Void> onOurs = Promise.promise();
        result.onComplete(r -> context.runOnContext(v -> onOurs.handle(r)));
        onOurs.future().onComplete(r -> {
            if (r.succeeded()) {
                succeeded(work);
            } else {
                failed(work, r.cause());
            }
        });
    }

    private void extend(InFlight work) {
        if (work.done) {
            return;
        }
        if (Duration.ofNanos(System.nanoTime() - work.startedNanos).compareTo(settings.maxHandling()) > 0) {
            // A handler past max_handling_s is presumed stuck: stop extending, let SQS redeliver.
            LOG.warn("handler exceeded max_handling_s queue={} message={}", queue.name(), work.message.id());
            vertx.cancelTimer(work.extender);
            return;
        }
        queue.changeVisibility(work.message.receiptHandle(), settings.visibilityTimeout())
                .onFailure(e -> LOG.warn("visibility extension failed queue={} message={} error={}",
                        queue.name(), work.message.id(), String.valueOf(e)));
    }

    private void succeeded(InFlight work) {
        if (work.handedBack) {
            // Handed back by stop() while it ran; the effect is durable, so still try to delete
            // (SQS may refuse the old receipt handle: then another worker repeats it, idempotently).
            queue.delete(work.message.receiptHandle()).onSuccess(v -> {
                handled++;
                QueueMeters.outcome(queue.name(), "handled");
            });
            return;
        }
        // The message keeps its slot until the delete is done, so stop() waits for the delete
        // instead of handing back a message whose work already succeeded.
        vertx.cancelTimer(work.extender);
        Promise<Void> deleted = Promise.promise();
        work.deleting = deleted.future()
                .onSuccess(v -> {
                    handled++;
                    QueueMeters.outcome(queue.name(), "handled");
                })
                .onFailure(e -> LOG.warn("delete failed, message will be redelivered queue={} message={} error={}",
                        queue.name(), work.message.id(), String.valueOf(e)))
                .onComplete(r -> finish(work));
        pendingDeletes.add(new PendingDelete(work.message.receiptHandle(), deleted));
        if (pendingDeletes.size() >= QueueSettings.SQS_BATCH_LIMIT || !running) {
            flushDeletes();
        } else if (deleteTimer < 0) {
            deleteTimer = vertx.setTimer(DELETE_LINGER.toMillis(), t -> {
                deleteTimer = -1;
                flushDeletes();
            });
        }
    }

    /**
     * Deletes the messages whose work succeeded, up to ten per request: one call per message
     * cost the SQS server (and the SDK) as much as a whole batch. A message waits at most
     * {@link #DELETE_LINGER} for company, holding its in-flight slot until it is gone.
     */
    private void flushDeletes() {
        if (deleteTimer >= 0) {
            vertx.cancelTimer(deleteTimer);
            deleteTimer = -1;
        }
        while (!pendingDeletes.isEmpty()) {
            List<PendingDelete> batch = new ArrayList<>(pendingDeletes.subList(0,
                    Math.min(QueueSettings.SQS_BATCH_LIMIT, pendingDeletes.size())));
            pendingDeletes.subList(0, batch.size()).clear();
            List<String> handles = batch.stream().map(PendingDelete::receiptHandle).toList();
            queue.deleteBatch(handles).onComplete(r -> {
                for (PendingDelete d : batch) {
                    if (r.failed()) {
                        d.done().fail(r.cause());
                    } else if (r.result().contains(d.receiptHandle())) {
                        d.done().fail("SQS refused the delete");
                    } else {
                        d.done().complete();
                    }
                }
            });
        }
    }

    private record PendingDelete(String receiptHandle, Promise<Void> done) {
    }

    private void failed(InFlight work, Throwable cause) {
        failed++;
        QueueMeters.outcome(queue.name(), "failed");
        if (work.handedBack) {
            finish(work);
            return;
        }
        QueueMessage message = work.message;
        Duration backoff = settings.backoff().after(message.receiveCount());
        LOG.warn("handler failed queue={} message={} receive_count={} retry_in_ms={} error={}",
                queue.name(), message.id(), message.receiveCount(), backoff.toMillis(), String.valueOf(cause));
        Future<Void> hook = message.receiveCount() >= settings.maxReceiveCount()
                ? safely(() -> onLastFailure.apply(message, cause))
                : Future.succeededFuture();
        hook.onComplete(h -> release(work, backoff, "failed"));
    }

    private Future<Void> release(InFlight work, Duration visibility, String why) {
        boolean wasHandedBack = work.handedBack;
        work.handedBack = true;
        finish(work);
        if (wasHandedBack) {
            return Future.succeededFuture();
        }
        return queue.changeVisibility(work.message.receiptHandle(), visibility)
                .onFailure(e -> LOG.warn("could not release message ({}) queue={} message={} error={}",
                        why, queue.name(), work.message.id(), String.valueOf(e)));
    }

    /** Ends the consumer's hold on a message: stop extending, free its slot, poll for more. */
    private void finish(InFlight work) {
        if (!work.done) {
            work.done = true;
            vertx.cancelTimer(work.extender);
            inFlight.remove(work.message.receiptHandle());
            QueueMeters.held(queue.name()).decrementAndGet();
        }
        poll();
    }

    private static Future<Void> safely(Supplier<Future<Void>> call) {
        try {
            Future<Void> f = call.get();
            return f == null ? Future.succeededFuture() : f;
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** One received message being worked on; mutated only on the consumer's context. */
    private static final class InFlight {
        final QueueMessage message;
        final long startedNanos;
        long extender = -1;
        boolean done;
        boolean handedBack;
        /** Set once the handler succeeded and the delete is on its way. */
        Future<Void> deleting;

        InFlight(QueueMessage message, long startedNanos) {
            this.message = message;
            this.startedNanos = startedNanos;
        }
    }
}
