package io.brandscan.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server no scan may reach: it counts TCP connections and requests, and the tests
 * expect zero of both. It stands for an internal service an attacker points a listing at.
 */
final class Canary implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger connections;
    private final AtomicInteger requests;

    private Canary(HttpServer server, AtomicInteger connections, AtomicInteger requests) {
        this.server = server;
        this.connections = connections;
        this.requests = requests;
    }

    static Canary start(Vertx vertx, String host) {
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = vertx.createHttpServer()
                .connectionHandler(c -> connections.incrementAndGet())
                .requestHandler(req -> {
                    requests.incrementAndGet();
                    req.response().end("secret");
                });
        server.listen(0, host).await();
        return new Canary(server, connections, requests);
    }

    int port() {
        return server.actualPort();
    }

    int hits() {
        return connections.get() + requests.get();
    }

    @Override
    public void close() {
        server.close().await();
    }
}
