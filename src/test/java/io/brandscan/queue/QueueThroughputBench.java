package io.brandscan.queue;

import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test (surefire's default includes skip it): how much the {@link QueueConsumer}'s
 * bookkeeping (per-message visibility timers, delete after the handler, the in-flight bound)
 * costs against a bare receive-10/delete loop on the same embedded ElasticMQ, in the same run.
 * Run: {@code mvn -B -o -q test -Dtest=QueueThroughputBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
class QueueThroughputBench {
    private static final int MESSAGES = 2000;

    @Test
    void consumerAgainstABareReceiveDeleteLoop() throws Exception {
        try (DevServices services = DevServices.start(new DevServicesSettings(true, 0, false, 0, null, "k", "s", false, 0, null))) {
            Vertx vertx = Vertx.vertx();
            JsonObject conf = services.adapterConfig().getJsonObject("sqs").copy()
                    .put("create_queues", true).put("wait_time_s", 1).put("max_in_flight", 50)
                    .put("queues", new JsonObject().put("bare", "bench-bare").put("consumer", "bench-consumer"));
            try (SqsBroker broker = SqsBroker.create(vertx, QueueSettings.fromJson(conf))) {
                SqsQueue bare = await(broker.open("bare"));
                SqsQueue consumed = await(broker.open("consumer"));

                double sendPerSecond = fill(bare);
                fill(consumed);

                long t0 = System.nanoTime();
                int drained = 0;
                while (drained < MESSAGES) {
                    List<QueueMessage> batch = await(bare.receive(10, Duration.ofSeconds(1), Duration.ofSeconds(60)));
                    List<Future<Void>> deletes = new ArrayList<>();
                    batch.forEach(m -> deletes.add(bare.delete(m.receiptHandle())));
                    await(Future.all(deletes));
                    drained += batch.size();
                }
                double barePerSecond = MESSAGES / seconds(t0);

                AtomicInteger seen = new AtomicInteger();
                Promise<Void> done = Promise.promise();
                long t1 = System.nanoTime();
                QueueConsumer consumer = QueueConsumer.start(vertx, consumed, m -> {
                    if (seen.incrementAndGet() == MESSAGES) {
                        done.tryComplete();
                    }
                    return Future.succeededFuture();
                });
                await(done.future());
                while (consumer.handled() < MESSAGES) {
                    Thread.sleep(5);
                }
                double consumerPerSecond = MESSAGES / seconds(t1);
                await(consumer.stop());

                System.out.printf("%nqueue bench (%d messages, embedded ElasticMQ, max_in_flight 50)%n", MESSAGES);
                System.out.printf("batch send            %8.0f msg/s%n", sendPerSecond);
                System.out.printf("bare receive+delete   %8.0f msg/s (baseline)%n", barePerSecond);
                System.out.printf("QueueConsumer no-op   %8.0f msg/s  ratio %.2f%n", consumerPerSecond,
                        consumerPerSecond / barePerSecond);
            } finally {
                await(vertx.close());
            }
        }
    }

    private static double fill(SqsQueue queue) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            bodies.add("{\"url\":\"https://shop.example/item/" + i + "\"}");
        }
        long t = System.nanoTime();
        await(queue.sendBatch(bodies));
        return MESSAGES / seconds(t);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
    }
}
