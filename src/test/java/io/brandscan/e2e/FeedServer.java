package io.brandscan.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A marketplace feed on loopback that a test composes: {@code /feed.json} answers whatever
 * listings the test set, and the image paths misbehave on purpose: {@code /bad/500/*} answers
 * 500, {@code /bad/slow/*} never answers (the downloader's timeout must end it), {@code /bad/text/*}
 * is an HTML page, and {@code /redirect?to=} answers 302 to any location (to reach a canary).
 */
final class FeedServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile JsonArray feed = new JsonArray();

    private FeedServer(HttpServer server) {
        this.server = server;
    }

    static FeedServer start(Vertx vertx) {
        FeedServer[] holder = new FeedServer[1];
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            FeedServer self = holder[0];
            self.requests.incrementAndGet();
            String path = req.path();
            if (path.equals("/feed.json")) {
                req.response().putHeader("content-type", "application/json").end(self.feed.encode());
            } else if (path.startsWith("/bad/500/")) {
                req.response().setStatusCode(500).end("boom");
            } else if (path.startsWith("/bad/slow/")) {
                // never answers: the download timeout has to end it
            } else if (path.startsWith("/bad/text/")) {
                req.response().putHeader("content-type", "text/html").end("<html><body>not a picture</body></html>");
            } else if (path.equals("/redirect")) {
                req.response().setStatusCode(302).putHeader("location", req.getParam("to")).end();
            } else {
                req.response().setStatusCode(404).end();
            }
        });
        server.listen(0, "127.0.0.1").await();
        holder[0] = new FeedServer(server);
        return holder[0];
    }

    String base() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    int port() {
        return server.actualPort();
    }

    void serve(JsonArray listings) {
        this.feed = listings.copy();
    }

    @Override
    public void close() {
        server.close().await();
    }
}
