package io.brandscan.bench;

import io.brandscan.launcher.VertxFactory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;

/**
 * The baseline for the registry's {@code /submit} benchmark: a Vert.x HTTP server that receives
 * the whole request body (as the registry's body handler does) and answers 200 with a small JSON
 * reply, without parsing or storing anything. It uses the launcher's Vert.x options (metrics on)
 * and the same number of HTTP verticle instances as the registry under test, so the ratio
 * isolates what the registry adds: routing, parsing, the event-bus hop and storing.
 *
 * <p>Usage: {@code BareBodyServer <port> <instances>}; runs until killed.
 */
public final class BareBodyServer extends VerticleBase {
    private static final String REPLY = "{\"should_commit\":false,\"duplicate\":false,\"completed\":1,\"failed\":0,\"expected\":2000000000}";
    private final int port;

    private BareBodyServer(int port) {
        this.port = port;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer()
                .requestHandler(req -> req.body()
                        .onSuccess(body -> req.response().setStatusCode(body.length() > 0 ? 200 : 400)
                                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(REPLY))
                        .onFailure(e -> req.response().setStatusCode(400).end()))
                .listen(port, "127.0.0.1");
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int instances = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.builder().with(VertxFactory.options()).build();
        vertx.deployVerticle(() -> new BareBodyServer(port), new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> System.out.println("bare body server listening on 127.0.0.1:" + port
                        + " with " + instances + " instance(s)"))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }
}
