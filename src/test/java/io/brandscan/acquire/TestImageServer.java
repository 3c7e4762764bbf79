package io.brandscan.acquire;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on 127.0.0.1 (port 0) serving the test images and every misbehaviour the
 * downloader must survive: redirects, chains of redirects, error statuses, HTML, HTML claiming to
 * be PNG, oversized bodies (declared and chunked), and servers that stall. Counts requests and
 * TCP connections, so it doubles as the loopback canary that must see zero hits.
 */
final class TestImageServer {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();
    private final AtomicLong endlessBytesWritten = new AtomicLong();
    private final AtomicBoolean endlessClosedByClient = new AtomicBoolean();

    private TestImageServer(HttpServer server) {
        this.server = server;
    }

    static TestImageServer start(Vertx vertx, String bindHost) throws Exception {
        HttpServer server = vertx.createHttpServer();
        TestImageServer s = new TestImageServer(server);
        server.connectionHandler(c -> s.connections.incrementAndGet());
        server.requestHandler(s::handle);
        server.listen(0, bindHost).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
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

    int connections() {
        return connections.get();
    }

    List<String> hostHeaders() {
        return List.copyOf(hostHeaders);
    }

    long endlessBytesWritten() {
        return endlessBytesWritten.get();
    }

    boolean endlessClosedByClient() {
        return endlessClosedByClient.get();
    }

    void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static byte[] image(String name) {
        try (InputStream in = TestImageServer.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test image " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        hostHeaders.add(String.valueOf(request.getHeader("Host")));
        String path = request.path();
        HttpServerResponse response = request.response();
        if (path.startsWith("/img/")) {
            String name = path.substring("/img/".length());
            response.putHeader("Content-Type", name.endsWith(".png") ? "image/png" : "image/jpeg").end(Buffer.buffer(image(name)));
        } else if (path.equals("/redirect")) {
            String to = URLDecoder.decode(request.getParam("to"), StandardCharsets.UTF_8);
            response.setStatusCode(302).putHeader("Location", to).end("moved");
        } else if (path.startsWith("/chain/")) {
            int n = Integer.parseInt(path.substring("/chain/".length()));
            if (n == 0) {
                response.putHeader("Content-Type", "image/png").end(Buffer.buffer(image("moon.png")));
            } else {
                response.setStatusCode(301).putHeader("Location", "/chain/" + (n - 1)).end();
            }
        } else if (path.startsWith("/status/")) {
            response.setStatusCode(Integer.parseInt(path.substring("/status/".length()))).end("status page");
        } else if (path.equals("/html")) {
            response.putHeader("Content-Type", "text/html").end("<!doctype html><html><body>not found</body></html>");
        } else if (path.equals("/fake-png")) {
            response.putHeader("Content-Type", "image/png").end("<html><body>I am a PNG, honest</body></html>");
        } else if (path.equals("/tiny")) {
            response.putHeader("Content-Type", "image/png").end("GIF");
        } else if (path.equals("/chunked-endless")) {
            endless(response);
        } else if (path.equals("/stall")) {
            // Never answers: only the downloader's total timeout ends this.
        } else if (path.equals("/stall-body")) {
            response.putHeader("Content-Type", "image/png").putHeader("Content-Length", "100000");
            byte[] png = image("moon.png");
            response.write(Buffer.buffer(png).slice(0, 4096));
        } else {
            response.setStatusCode(404).end();
        }
    }

    /** A PNG header followed by an endless chunked body, written only as fast as the client reads. */
    private void endless(HttpServerResponse response) {
        response.setChunked(true).putHeader("Content-Type", "image/png");
        response.closeHandler(v -> endlessClosedByClient.set(true));
        Buffer head = Buffer.buffer(image("moon.png")).slice(0, 64);
        response.write(head);
        endlessBytesWritten.addAndGet(head.length());
        Buffer chunk = Buffer.buffer(new byte[16 * 1024]);
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            // A safety stop so a broken client cannot make this test server run forever.
            while (!response.closed() && !response.writeQueueFull() && endlessBytesWritten.get() < 256L * 1024 * 1024) {
                response.write(chunk);
                endlessBytesWritten.addAndGet(chunk.length());
            }
            if (!response.closed() && endlessBytesWritten.get() < 256L * 1024 * 1024) {
                response.drainHandler(v -> pump[0].run());
            }
        };
        pump[0].run();
    }
}
