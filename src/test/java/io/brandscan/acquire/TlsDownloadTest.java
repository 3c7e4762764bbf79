package io.brandscan.acquire;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.brandscan.acquire.Downloads.await;
import static io.brandscan.acquire.Downloads.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * https while the connection is pinned to the checked address: the TLS server name (SNI) and the
 * certificate check use the URL's host name, so pinning the IP neither breaks TLS nor weakens it.
 * The server's certificate (src/test/resources/acquire/images-test.p12) is for images.test only.
 */
class TlsDownloadTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static final List<String> serverNames = new CopyOnWriteArrayList<>();
    private static final List<String> hostHeaders = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        byte[] pfx;
        try (InputStream in = TlsDownloadTest.class.getResourceAsStream("/acquire/images-test.p12")) {
            pfx = in.readAllBytes();
        }
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setSni(true)
                .setKeyCertOptions(new PfxOptions().setValue(Buffer.buffer(pfx)).setPassword("brandscan"));
        server = vertx.createHttpServer(options).requestHandler(request -> {
            serverNames.add(String.valueOf(request.connection().indicatedServerName()));
            hostHeaders.add(request.getHeader("Host"));
            request.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(TestImageServer.image("moon.png")));
        });
        await(server.listen(0, "127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
    }

    private static ImageDownloader downloader(RecordingConnector[] out) throws Exception {
        DownloadSettings settings = DownloadSettings.defaults().withAllow(List.of("127.0.0.1:" + server.actualPort()));
        Buffer cert;
        try (InputStream in = TlsDownloadTest.class.getResourceAsStream("/acquire/images-test.crt")) {
            cert = Buffer.buffer(in.readAllBytes());
        }
        out[0] = new RecordingConnector(new HttpConnector(vertx, settings, new PemTrustOptions().addCertValue(cert)));
        FakeResolver dns = new FakeResolver().map("images.test", "127.0.0.1").map("other.test", "127.0.0.1");
        return new ImageDownloader(vertx, settings, dns, out[0]);
    }

    @Test
    void sendsTheUrlHostAsSniAndVerifiesTheCertificateAgainstIt() throws Exception {
        RecordingConnector[] connector = new RecordingConnector[1];
        ImageDownloader d = downloader(connector);
        DownloadedImage image = await(d.download("https://images.test:" + server.actualPort() + "/moon.png"));
        assertArrayEquals(TestImageServer.image("moon.png"), image.bytes());
        assertEquals("127.0.0.1", connector[0].attempts().get(0).address().getHostAddress());
        assertTrue(serverNames.contains("images.test"), serverNames.toString());
        assertTrue(hostHeaders.contains("images.test:" + server.actualPort()), hostHeaders.toString());
        await(d.close());
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        RecordingConnector[] connector = new RecordingConnector[1];
        ImageDownloader d = downloader(connector);
        // Same server, same pinned address, but the URL names a host the certificate does not cover.
        failure(d.download("https://other.test:" + server.actualPort() + "/moon.png"), DownloadFailure.CONNECTION_FAILED);
        failure(d.download("https://127.0.0.1:" + server.actualPort() + "/moon.png"), DownloadFailure.CONNECTION_FAILED);
        assertEquals(2, connector[0].attempts().size());
        await(d.close());
    }
}
