package io.brandscan.pipeline.acquire;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 (port 0) playing a marketplace's image host: {@code /img/<name>}
 * serves a test image, {@code /gone/...} answers 404 and {@code /page/...} an HTML page sent as
 * image/png, {@code /error/...} always 500. Counts the image requests so tests can tell how often a url was fetched.
 */
final class ImageServer {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();

    private ImageServer(HttpServer server) {
        this.server = server;
    }

    static ImageServer start(Vertx vertx) throws Exception {
        HttpServer http = vertx.createHttpServer();
        ImageServer s = new ImageServer(http);
        http.requestHandler(request -> {
            s.requests.incrementAndGet();
            String path = request.path();
            if (path.startsWith("/img/")) {
                request.response().putHeader("Content-Type", "image/png")
                        .end(Buffer.buffer(image(path.substring("/img/".length()))));
            } else if (path.startsWith("/error/")) {
                s.errors.incrementAndGet();
                request.response().setStatusCode(500).end("try later");
            } else if (path.startsWith("/page/")) {
                request.response().putHeader("Content-Type", "image/png")
                        .end("<html><body>Sorry, this product is no longer available</body></html>");
            } else {
                request.response().setStatusCode(404).end("not found");
            }
        });
        http.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return s;
    }

    int port() {
        return server.actualPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    int requests() {
        return requests.get();
    }

    /** Requests answered 500 by {@code /error/...}. */
    int errors() {
        return errors.get();
    }

    void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static byte[] image(String name) {
        try (InputStream in = ImageServer.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test image " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
