package io.brandscan.acquire;

import io.brandscan.embedding.image.ImageFormat;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.brandscan.acquire.Downloads.await;
import static io.brandscan.acquire.Downloads.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the downloader does with servers it is allowed to reach: real PNG and JPEG bytes from a
 * real HTTP server on 127.0.0.1, redirects, the byte and time caps, status classification, and
 * bodies that are not images whatever their Content-Type says.
 */
class ImageDownloaderTest {
    private static Vertx vertx;
    private static TestImageServer images;

    private RecordingConnector connector;
    private ImageDownloader downloader;

    @BeforeAll
    static void servers() throws Exception {
        vertx = Vertx.vertx();
        images = TestImageServer.start(vertx, "127.0.0.1");
    }

    @AfterAll
    static void stop() throws Exception {
        images.close();
        await(vertx.close());
    }

    @AfterEach
    void closeDownloader() throws Exception {
        if (downloader != null) {
            await(downloader.close());
        }
    }

    /** A downloader that may reach only the image server, with these settings changed. */
    private ImageDownloader downloader(JsonObject overrides) {
        JsonObject conf = new JsonObject().put("allow", new JsonArray().add("127.0.0.1:" + images.port())).mergeIn(overrides);
        DownloadSettings settings = DownloadSettings.fromJson(conf);
        connector = new RecordingConnector(new HttpConnector(vertx, settings));
        downloader = new ImageDownloader(vertx, settings, new FakeResolver().map("images.test", "127.0.0.1"), connector);
        return downloader;
    }

    private ImageDownloader downloader() {
        return downloader(new JsonObject());
    }

    @Test
    void downloadsAPngWithItsBytesTypeAndHop() throws Exception {
        DownloadedImage image = await(downloader().download(images.url("/img/astronaut.png")));
        assertArrayEquals(TestImageServer.image("astronaut.png"), image.bytes());
        assertEquals(ImageFormat.PNG, image.format());
        assertEquals("image/png", image.contentType());
        assertEquals(images.url("/img/astronaut.png"), image.finalUrl().toString());
        assertEquals(1, image.hops().size());
        assertEquals(200, image.hops().get(0).status());
        assertEquals(0, image.redirects());
    }

    @Test
    void downloadsAJpegByNameWithTheNameInTheHostHeader() throws Exception {
        String url = "http://images.test:" + images.port() + "/img/rocket.jpg";
        DownloadedImage image = await(downloader().download(url));
        assertArrayEquals(TestImageServer.image("rocket.jpg"), image.bytes());
        assertEquals(ImageFormat.JPEG, image.format());
        assertTrue(images.hostHeaders().contains("images.test:" + images.port()), images.hostHeaders().toString());
        assertEquals("127.0.0.1", image.hops().get(0).address().getHostAddress());
    }

    @Test
    void followsRedirectsUpToTheLimitAndRecordsEveryHop() throws Exception {
        DownloadedImage image = await(downloader().download(images.url("/chain/3")));
        assertArrayEquals(TestImageServer.image("moon.png"), image.bytes());
        assertEquals(3, image.redirects());
        assertEquals(List.of(301, 301, 301, 200), image.hops().stream().map(Hop::status).toList());
        assertEquals(images.url("/chain/0"), image.finalUrl().toString());
        DownloadedImage relative = await(downloader().download(images.url("/redirect?to=%2Fimg%2Fmoon.png")));
        assertEquals(images.url("/img/moon.png"), relative.finalUrl().toString());
    }

    @Test
    void refusesOneRedirectTooManyWithoutFetchingIt() {
        int before = images.requests();
        DownloadException e = failure(downloader().download(images.url("/chain/4")), DownloadFailure.TOO_MANY_REDIRECTS);
        assertFalse(e.retryable());
        assertEquals(4, images.requests() - before, "the fifth hop is never requested");
        failure(downloader(new JsonObject().put("max_redirects", 0)).download(images.url("/chain/1")),
                DownloadFailure.TOO_MANY_REDIRECTS);
    }

    @Test
    void aDeclaredLengthOverTheCapIsRefusedBeforeTheBody() {
        DownloadException e = failure(downloader(new JsonObject().put("max_bytes", 100_000))
                .download(images.url("/img/astronaut.png")), DownloadFailure.TOO_LARGE);
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("Content-Length 791555"), e.getMessage());
    }

    @Test
    void anEndlessChunkedBodyIsAbortedAtTheCap() throws Exception {
        DownloadException e = failure(downloader(new JsonObject().put("max_bytes", 1024 * 1024))
                .download(images.url("/chunked-endless")), DownloadFailure.TOO_LARGE);
        assertTrue(e.getMessage().contains("stream aborted"), e.getMessage());
        for (int i = 0; i < 100 && !images.endlessClosedByClient(); i++) {
            Thread.sleep(50);
        }
        assertTrue(images.endlessClosedByClient(), "the downloader closed the connection");
        // The server writes only as fast as the client reads, so what it managed to write is the
        // cap plus socket buffers, far below the 256 MiB it would send to a client that kept reading.
        assertTrue(images.endlessBytesWritten() < 64L * 1024 * 1024, "server wrote " + images.endlessBytesWritten());
    }

    @Test
    void aBodyExactlyAtTheCapIsAccepted() throws Exception {
        int size = TestImageServer.image("moon.png").length;
        DownloadedImage image = await(downloader(new JsonObject().put("max_bytes", size)).download(images.url("/img/moon.png")));
        assertEquals(size, image.bytes().length);
        failure(downloader(new JsonObject().put("max_bytes", size - 1)).download(images.url("/img/moon.png")),
                DownloadFailure.TOO_LARGE);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        DownloadException e = failure(downloader(new JsonObject().put("timeout_ms", 400)).download(images.url("/stall")),
                DownloadFailure.TIMEOUT);
        assertTrue(e.retryable());
    }

    @Test
    void aBodyThatStallsHalfWayTimesOut() {
        DownloadException e = failure(downloader(new JsonObject().put("timeout_ms", 400)).download(images.url("/stall-body")),
                DownloadFailure.TIMEOUT);
        assertTrue(e.retryable());
    }

    @Test
    void statusesArePermanentOrRetryable() {
        ImageDownloader d = downloader();
        DownloadException notFound = failure(d.download(images.url("/status/404")), DownloadFailure.HTTP_STATUS);
        assertEquals(404, notFound.status());
        assertFalse(notFound.retryable(), "a 404 will not heal: /fail the url");
        DownloadException unavailable = failure(d.download(images.url("/status/503")), DownloadFailure.HTTP_STATUS);
        assertEquals(503, unavailable.status());
        assertTrue(unavailable.retryable(), "a 503 may heal: retry later");
        assertTrue(failure(d.download(images.url("/status/429")), DownloadFailure.HTTP_STATUS).retryable());
        assertFalse(failure(d.download(images.url("/status/410")), DownloadFailure.HTTP_STATUS).retryable());
        assertFalse(failure(d.download(images.url("/status/501")), DownloadFailure.HTTP_STATUS).retryable());
        assertEquals(304, failure(d.download(images.url("/status/304")), DownloadFailure.HTTP_STATUS).status());
    }

    @Test
    void contentThatIsNotAnImageIsRefusedWhateverItsContentType() {
        ImageDownloader d = downloader();
        DownloadException html = failure(d.download(images.url("/html")), DownloadFailure.NOT_AN_IMAGE);
        assertFalse(html.retryable());
        DownloadException lying = failure(d.download(images.url("/fake-png")), DownloadFailure.NOT_AN_IMAGE);
        assertTrue(lying.getMessage().contains("claimed image/png"), lying.getMessage());
        failure(d.download(images.url("/tiny")), DownloadFailure.NOT_AN_IMAGE);
    }

    @Test
    void aClosedPortIsARetryableConnectionFailure() throws Exception {
        TestImageServer gone = TestImageServer.start(vertx, "127.0.0.1");
        int port = gone.port();
        gone.close();
        ImageDownloader d = downloader(new JsonObject().put("allow", new JsonArray().add("127.0.0.1:" + port)));
        DownloadException e = failure(d.download("http://127.0.0.1:" + port + "/img/moon.png"), DownloadFailure.CONNECTION_FAILED);
        assertTrue(e.retryable());
    }

    @Test
    void aRedirectWithAnUnusableLocationIsABadUrl() {
        String to = URLEncoder.encode("http://[not-an-address]/", StandardCharsets.UTF_8);
        failure(downloader().download(images.url("/redirect?to=" + to)), DownloadFailure.BAD_URL);
    }

    @Test
    void settingsHaveDefaultsAndRejectBadValues() {
        DownloadSettings defaults = DownloadSettings.defaults();
        assertEquals(List.of(), defaults.allow());
        assertEquals(10L * 1024 * 1024, defaults.maxBytes());
        assertEquals(15_000, defaults.timeoutMs());
        assertEquals(5_000, defaults.connectTimeoutMs());
        assertEquals(3, defaults.maxRedirects());
        assertEquals(32, defaults.maxConnections());
        DownloadSettings fromEnv = DownloadSettings.fromJson(new JsonObject().put("allow", "127.0.0.1:8080, localhost:*"));
        assertEquals(List.of("127.0.0.1:8080", "localhost:*"), fromEnv.allow());
        assertThrows(IllegalArgumentException.class,
                () -> DownloadSettings.fromJson(new JsonObject().put("allow", new JsonArray().add("10.0.0.0/40"))));
        assertThrows(IllegalArgumentException.class, () -> DownloadSettings.fromJson(new JsonObject().put("max_bytes", 0)));
        assertThrows(IllegalArgumentException.class, () -> DownloadSettings.fromJson(new JsonObject().put("max_redirects", -1)));
        assertThrows(IllegalArgumentException.class, () -> DownloadSettings.fromJson(new JsonObject().put("user_agent", "a\r\nb")));
    }
}
