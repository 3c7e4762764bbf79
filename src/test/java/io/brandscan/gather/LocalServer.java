package io.brandscan.gather;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1, port 0, for provider tests: the routes come from the test,
 * and every request is recorded (path and query parameters) before routing, so a test can prove
 * what was asked and that a refused URL was never fetched.
 */
final class LocalServer {
    record Hit(String path, MultiMap params) {
    }

    private final HttpServer server;
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> byPath = new ConcurrentHashMap<>();

    private LocalServer(Vertx vertx, Router routes) {
        Router root = Router.router(vertx);
        root.route().handler(ctx -> {
            MultiMap params = MultiMap.caseInsensitiveMultiMap().addAll(ctx.request().params());
            hits.add(new Hit(ctx.request().path(), params));
            byPath.computeIfAbsent(ctx.request().path(), p -> new AtomicInteger()).incrementAndGet();
            ctx.next();
        });
        root.route().subRouter(routes);
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(root).listen().await();
    }

    static LocalServer start(Vertx vertx, Router routes) {
        return new LocalServer(vertx, routes);
    }

    int port() {
        return server.actualPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    String base() {
        return "http://127.0.0.1:" + port();
    }

    List<Hit> hits() {
        return List.copyOf(hits);
    }

    int hits(String path) {
        AtomicInteger n = byPath.get(path);
        return n == null ? 0 : n.get();
    }

    int totalHits() {
        return hits.size();
    }
}
