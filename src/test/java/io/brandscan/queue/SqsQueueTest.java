package io.brandscan.queue;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SQS adapter against a real ElasticMQ on a free port (one per class: it takes about two
 * seconds to start). Each test uses its own queue so they cannot see each other's messages.
 */
class SqsQueueTest {
    private static DevServices services;
    private static Vertx vertx;
    private static final List<SqsBroker> brokers = new ArrayList<>();

    @BeforeAll
    static void startElasticMq() throws Exception {
        services = DevServices.start(new DevServicesSettings(true, 0, false, 0, null, "k", "s", false, 0, null));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        brokers.forEach(SqsBroker::close);
        await(vertx.close());
        services.close();
    }

    /** A broker on a fresh queue named for the test, created with its DLQ. */
    private static SqsBroker broker(String queue, JsonObject overrides) {
        JsonObject conf = new JsonObject()
                .put("endpoint", services.sqsEndpoint())
                .put("queues", new JsonObject().put("work", queue))
                .put("create_queues", true)
                .put("wait_time_s", 1)
                .mergeIn(overrides);
        SqsBroker broker = SqsBroker.create(vertx, QueueSettings.fromJson(conf));
        brokers.add(broker);
        return broker;
    }

    @Test
    void sendReceiveDelete() throws Exception {
        SqsQueue queue = await(broker("send-receive", new JsonObject()).open("work"));
        String id = await(queue.send("{\"url\":\"https://shop.example/1\"}"));

        List<QueueMessage> received = await(queue.receive(10, Duration.ofSeconds(2), Duration.ofSeconds(30)));
        assertEquals(1, received.size());
        QueueMessage message = received.get(0);
        assertEquals(id, message.id());
        assertEquals("{\"url\":\"https://shop.example/1\"}", message.body());
        assertEquals(1, message.receiveCount());
        assertEquals("1", message.attributes().get("ApproximateReceiveCount"));

        await(queue.delete(message.receiptHandle()));
        await(queue.changeVisibility(message.receiptHandle(), Duration.ZERO).recover(e -> Future.succeededFuture()));
        assertTrue(await(queue.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30))).isEmpty(),
                "a deleted message is gone, even after a visibility change on its old handle");
    }

    @Test
    void deleteBatchDeletesTheReceivedAndNamesTheHandlesSqsRefused() throws Exception {
        SqsQueue queue = await(broker("delete-batch", new JsonObject()).open("work"));
        await(queue.sendBatch(List.of("a", "b", "c")));
        List<QueueMessage> received = new ArrayList<>();
        for (int tries = 0; tries < 10 && received.size() < 3; tries++) {
            received.addAll(await(queue.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30))));
        }
        assertEquals(3, received.size());
        List<String> handles = new ArrayList<>(received.stream().map(QueueMessage::receiptHandle).toList());
        handles.add("not-a-receipt-handle");
        List<String> refused = await(queue.deleteBatch(handles));
        assertEquals(List.of("not-a-receipt-handle"), refused, "only the bogus handle is refused");
        await(queue.changeVisibility(received.get(0).receiptHandle(), Duration.ZERO).recover(e -> Future.succeededFuture()));
        assertTrue(await(queue.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30))).isEmpty(), "all three gone");
        assertTrue(await(queue.deleteBatch(List.of())).isEmpty());
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("h" + i);
        }
        assertThrows(ExecutionException.class, () -> await(queue.deleteBatch(eleven)), "SQS takes ten per batch");
    }

    @Test
    void batchSendOf25ArrivesWhole() throws Exception {
        SqsQueue queue = await(broker("batch-25", new JsonObject()).open("work"));
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            sent.add("listing-" + i);
        }
        await(queue.sendBatch(new ArrayList<>(sent)));

        Set<String> received = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.size() < 25 && System.nanoTime() < deadline) {
            for (QueueMessage m : await(queue.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(60)))) {
                assertTrue(received.add(m.body()), "no duplicate " + m.body());
            }
        }
        assertEquals(sent, received);
    }

    @Test
    void batchSendNamesEveryBodyItCouldNotDeliver() throws Exception {
        SqsQueue queue = await(broker("batch-bad", new JsonObject()).open("work"));
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            bodies.add("ok-" + i);
        }
        String bad = "bad-\u0000-" + "x".repeat(300 * 1024); // an invalid character, and over 256 KiB
        bodies.add(bad);

        ExecutionException failure = assertThrows(ExecutionException.class, () -> await(queue.sendBatch(bodies)));
        UndeliveredMessagesException undelivered = assertInstanceOf(UndeliveredMessagesException.class, failure.getCause());
        assertTrue(undelivered.undelivered().stream().anyMatch(u -> u.body().equals(bad)), "the bad body is reported");
        assertEquals(bodies.size(), undelivered.delivered() + undelivered.undelivered().size(), "every body accounted for");

        int onQueue = 0;
        for (int round = 0; round < 5; round++) {
            onQueue += await(queue.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(60))).size();
        }
        assertEquals(undelivered.delivered(), onQueue, "exactly the delivered ones are on the queue");
    }

    @Test
    void openWithoutCreateFailsForAMissingQueue() {
        SqsBroker broker = broker("never-created", new JsonObject().put("create_queues", false));
        assertThrows(ExecutionException.class, () -> await(broker.open("work")));
    }

    @Test
    void aMessageWhoseHandlerKeepsFailingLandsInTheDeadLetterQueue() throws Exception {
        SqsBroker broker = broker("poison", new JsonObject()
                .put("max_receive_count", 3).put("retry_backoff_s", 0).put("retry_backoff_max_s", 1));
        SqsQueue queue = await(broker.open("work"));
        SqsQueue deadLetters = await(broker.openDeadLetter("work"));
        await(queue.send("poison"));

        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<String> lastFailure = new AtomicReference<>();
        QueueConsumer consumer = QueueConsumer.start(vertx, queue, queue.settings(),
                m -> {
                    attempts.incrementAndGet();
                    return Future.failedFuture("cannot parse " + m.body());
                },
                (m, e) -> {
                    lastFailure.set(m.receiveCount() + ":" + e.getMessage());
                    return Future.succeededFuture();
                });

        List<QueueMessage> dead = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (dead.isEmpty() && System.nanoTime() < deadline) {
            dead.addAll(await(deadLetters.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(30))));
        }
        await(consumer.stop());
        assertEquals(1, dead.size(), "the poison message is in the DLQ");
        assertEquals("poison", dead.get(0).body());
        assertEquals(3, attempts.get(), "handled exactly max_receive_count times");
        assertEquals("3:cannot parse poison", lastFailure.get(), "the last-failure hook saw the final attempt");
    }

    @Test
    void visibilityIsExtendedWhileASlowHandlerRuns() throws Exception {
        SqsQueue queue = await(broker("slow", new JsonObject()
                .put("visibility_timeout_s", 2).put("extend_every_s", 0.5)).open("work"));
        await(queue.send("slow job"));

        AtomicInteger calls = new AtomicInteger();
        Promise<Void> finished = Promise.promise();
        QueueConsumer consumer = QueueConsumer.start(vertx, queue, m -> {
            calls.incrementAndGet();
            // Three visibility timeouts of work: without extension SQS would redeliver meanwhile.
            return vertx.timer(6, TimeUnit.SECONDS).<Void>mapEmpty().onComplete(finished);
        });
        await(finished.future());
        SqsQueue.QueueDepth depth = awaitUntil(queue::depth, d -> d.visible() == 0 && d.inFlight() == 0);
        await(consumer.stop());

        assertEquals(1, calls.get(), "never redelivered while the handler ran");
        assertEquals(0, depth.visible() + depth.inFlight(), "deleted after the handler succeeded");
        assertEquals(1, consumer.handled());
    }

    @Test
    void neverMoreThanMaxInFlightHandlersAtOnce() throws Exception {
        SqsQueue queue = await(broker("bounded", new JsonObject().put("max_in_flight", 3).put("receivers", 3)).open("work"));
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bodies.add("job-" + i);
        }
        await(queue.sendBatch(bodies));

        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Set<String> done = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Promise<Void> allDone = Promise.promise();
        QueueConsumer consumer = QueueConsumer.start(vertx, queue, m -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            return vertx.timer(150, TimeUnit.MILLISECONDS).<Void>mapEmpty().onComplete(r -> {
                running.decrementAndGet();
                done.add(m.body());
                if (done.size() == 20) {
                    allDone.tryComplete();
                }
            });
        });
        await(allDone.future());
        // The last handler's result reaches the consumer a moment later; let it delete first.
        awaitUntil(() -> Future.succeededFuture(consumer.handled()), n -> n == 20);
        await(consumer.stop());

        assertEquals(new HashSet<>(bodies), done);
        assertEquals(20, consumer.handled());
        SqsQueue.QueueDepth depth = awaitUntil(queue::depth, d -> d.visible() + d.inFlight() == 0);
        assertEquals(0, depth.visible() + depth.inFlight(), "every handled message was deleted");
        assertTrue(peak.get() <= 3, "peak " + peak.get() + " exceeds max_in_flight");
        assertTrue(consumer.peakInFlight() <= 3);
        assertTrue(peak.get() >= 2, "work did run concurrently (peak " + peak.get() + ")");
    }

    @Test
    void stopHandsInFlightMessagesBackAtOnce() throws Exception {
        SqsQueue queue = await(broker("handback", new JsonObject()
                .put("visibility_timeout_s", 120).put("max_in_flight", 4)).open("work"));
        await(queue.sendBatch(List.of("a", "b", "c", "d")));

        AtomicInteger started = new AtomicInteger();
        Promise<Void> allStarted = Promise.promise();
        QueueConsumer consumer = QueueConsumer.start(vertx, queue, m -> {
            if (started.incrementAndGet() == 4) {
                allStarted.complete();
            }
            return Promise.<Void>promise().future(); // a worker that never finishes
        });
        await(allStarted.future());
        long stoppedAt = System.nanoTime();
        await(consumer.stop());

        Set<String> again = new HashSet<>();
        while (again.size() < 4 && System.nanoTime() - stoppedAt < TimeUnit.SECONDS.toNanos(20)) {
            for (QueueMessage m : await(queue.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(120)))) {
                again.add(m.body());
                assertEquals(2, m.receiveCount());
            }
        }
        long waitedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stoppedAt);
        assertEquals(Set.of("a", "b", "c", "d"), again, "another receiver got every message back");
        assertTrue(waitedSeconds < 60, "well before the 120 s visibility timeout (took " + waitedSeconds + " s)");
    }

    @Test
    void aPausedConsumerTakesNothingNewButStillFinishesAndDeletesWhatItHolds() throws Exception {
        SqsQueue queue = await(broker("pause", new JsonObject()
                .put("visibility_timeout_s", 120).put("max_in_flight", 2)).open("work"));
        await(queue.sendBatch(List.of("a", "b")));
        List<Promise<Void>> running = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Promise<Void> bothStarted = Promise.promise();
        QueueConsumer consumer = QueueConsumer.start(vertx, queue, m -> {
            seen.add(m.body());
            Promise<Void> work = Promise.promise();
            running.add(work);
            if (running.size() == 2) {
                bothStarted.complete();
            }
            return work.future();
        });
        await(bothStarted.future());
        await(consumer.pause());
        await(queue.sendBatch(List.of("c", "d")));
        running.forEach(Promise::complete); // the held work ends after the pause: its messages go
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (consumer.handled() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(2, consumer.handled(), "held messages finished and were deleted, not handed back");
        Thread.sleep(1_500); // more than a receive wait: a consumer still polling would take c and d now
        assertEquals(List.of("a", "b"), seen.stream().sorted().toList(), "nothing received after the pause");
        await(consumer.stop());

        Set<String> left = new HashSet<>();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (left.size() < 2 && System.nanoTime() < deadline) {
            for (QueueMessage m : await(queue.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(120)))) {
                left.add(m.body());
            }
        }
        assertEquals(Set.of("c", "d"), left, "only what arrived after the pause is left on the queue");
    }

    @Test
    void insideAVerticleTheHandlerRunsOnTheVerticlesContextEvenWhenWorkFinishesElsewhere() throws Exception {
        SqsQueue queue = await(broker("in-verticle", new JsonObject()).open("work"));
        await(queue.sendBatch(List.of("v1", "v2", "v3", "v4", "v5")));
        Set<String> handledOnOwnContext = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger elsewhere = new AtomicInteger();
        Promise<Void> allDone = Promise.promise();

        class ConsumingVerticle extends io.vertx.core.VerticleBase {
            QueueConsumer consumer;

            @Override
            public Future<?> start() {
                consumer = QueueConsumer.start(vertx, queue, m -> {
                    if (Vertx.currentContext() != context) {
                        elsewhere.incrementAndGet();
                    }
                    // The work itself completes on a worker thread, not on this context.
                    return vertx.<Void>executeBlocking(() -> null).onSuccess(v -> {
                        handledOnOwnContext.add(m.body());
                        if (handledOnOwnContext.size() == 5) {
                            allDone.tryComplete();
                        }
                    });
                });
                return Future.succeededFuture();
            }

            @Override
            public Future<?> stop() {
                return consumer.stop();
            }
        }
        ConsumingVerticle verticle = new ConsumingVerticle();
        String id = await(vertx.deployVerticle(verticle));
        await(allDone.future());
        awaitUntil(() -> Future.succeededFuture(verticle.consumer.handled()), n -> n == 5);
        await(vertx.undeploy(id));

        assertEquals(Set.of("v1", "v2", "v3", "v4", "v5"), handledOnOwnContext);
        assertEquals(0, elsewhere.get(), "the handler always ran on the verticle's own context");
        SqsQueue.QueueDepth depth = awaitUntil(queue::depth, d -> d.visible() + d.inFlight() == 0);
        assertEquals(0, depth.visible() + depth.inFlight(), "all deleted");
    }

    private static <T> T awaitUntil(Supplier<Future<T>> probe, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        T value = await(probe.get());
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = await(probe.get());
        }
        return value;
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
