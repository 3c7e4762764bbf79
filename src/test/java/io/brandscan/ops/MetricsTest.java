package io.brandscan.ops;

import io.brandscan.acquire.DownloadSettings;
import io.brandscan.acquire.ImageDownloader;
import io.brandscan.devservices.DevServices;
import io.brandscan.devservices.DevServicesSettings;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.worker.EmbeddingClient;
import io.brandscan.embedding.worker.EmbeddingVerticle;
import io.brandscan.launcher.VertxFactory;
import io.brandscan.queue.QueueConsumer;
import io.brandscan.queue.SqsBroker;
import io.brandscan.queue.SqsQueue;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * brandscan's own meters, scraped from a real ops server's {@code /metrics} in a Vert.x made
 * like the launcher makes it: downloads by outcome, embedding batches, and queue messages by
 * outcome with the in-flight gauge. Counters are cumulative across the JVM, so the test reads
 * each before and after its work and checks the difference.
 */
class MetricsTest {
    private static DevServices services;
    private static Vertx vertx;
    private static WebClient web;
    private static HttpServer images;
    private static int opsPort;

    @BeforeAll
    static void start() throws Exception {
        services = DevServices.start(new DevServicesSettings(true, 0, false, 0, null, "k", "s", false, 0, null));
        vertx = Vertx.builder().with(VertxFactory.options()).build();
        web = WebClient.create(vertx);
        byte[] png;
        try (InputStream in = MetricsTest.class.getResourceAsStream("/images/coffee.png")) {
            png = in.readAllBytes();
        }
        images = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/coffee.png")) {
                req.response().putHeader("content-type", "image/png").end(Buffer.buffer(png));
            } else {
                req.response().setStatusCode(404).end();
            }
        });
        images.listen(0, "127.0.0.1").await();
        OpsVerticle ops = new OpsVerticle("test", List::of, () -> true);
        vertx.deployVerticle(ops, new DeploymentOptions().setConfig(new JsonObject().put("port", 0)
                .put("host", "127.0.0.1"))).await();
        opsPort = ops.actualPort();
        vertx.deployVerticle(new EmbeddingVerticle(), new DeploymentOptions().setConfig(new JsonObject()
                .put("max_batch", 4).put("max_wait_ms", 50).put("model", new JsonObject()))).await();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        services.close();
    }

    @Test
    void downloadsEmbeddingsAndQueueMessagesAreCounted() throws Exception {
        double okBefore = value("brandscan_downloads_total", "outcome=\"ok\"");
        double statusBefore = value("brandscan_downloads_total", "outcome=\"http_status\"");
        double imagesBefore = value("brandscan_embedding_images_total", "");
        ImageDownloader downloader = ImageDownloader.create(vertx, DownloadSettings.fromJson(new JsonObject()
                .put("allow", new JsonArray().add("127.0.0.1:" + images.actualPort()))));
        String base = "http://127.0.0.1:" + images.actualPort();
        byte[] bytes = downloader.download(base + "/coffee.png").await().bytes();
        downloader.download(base + "/coffee.png").await();
        assertTrue(downloader.download(base + "/gone.png").transform(r -> Future.succeededFuture(r.failed())).await());
        EmbeddingClient embedding = new EmbeddingClient(vertx, Duration.ofSeconds(30));
        var image = ImageDecoder.withDefaults().decode(bytes).image();
        embedding.embedAll(List.of(image, image, image)).await();

        assertEquals(okBefore + 2, value("brandscan_downloads_total", "outcome=\"ok\""));
        assertEquals(statusBefore + 1, value("brandscan_downloads_total", "outcome=\"http_status\""));
        assertEquals(imagesBefore + 3, value("brandscan_embedding_images_total", ""));
        assertTrue(value("brandscan_embedding_batch_size_count", "") >= 1);
        assertTrue(value("brandscan_embedding_batch_seconds_count", "outcome=\"ok\"") >= 1);

        SqsBroker broker = SqsBroker.create(vertx, services.adapterConfig().getJsonObject("sqs")
                .put("create_queues", true).put("wait_time_s", 1)
                .put("queues", new JsonObject().put("metered", "metrics-test-queue")));
        SqsQueue queue = broker.open("metered").await();
        queue.sendBatch(List.of("a", "b", "c")).await();
        java.util.concurrent.CountDownLatch three = new java.util.concurrent.CountDownLatch(3);
        QueueConsumer consumer = QueueConsumer.start(vertx, queue, m -> {
            three.countDown();
            return Future.succeededFuture();
        });
        assertTrue(three.await(30, java.util.concurrent.TimeUnit.SECONDS));
        String tag = "queue=\"metrics-test-queue\"";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (value("brandscan_queue_messages_total", "outcome=\"handled\"," + tag) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(3, value("brandscan_queue_messages_total", "outcome=\"handled\"," + tag));
        assertEquals(0, value("brandscan_queue_in_flight", tag), "every message finished");
        consumer.stop().await();
        broker.close();
    }

    /** The value of one sample of {@code /metrics}, 0 when absent; {@code labels} as Prometheus writes them, sorted. */
    private static double value(String name, String labels) {
        String text = vertx.getOrCreateContext().<String>executeBlocking(() -> null)
                .compose(x -> web.get(opsPort, "127.0.0.1", "/metrics").send()).await().bodyAsString();
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{?([^}\\s]*)}? ([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(text);
        double total = 0;
        boolean found = false;
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                total += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        return found ? total : 0;
    }
}
