package io.brandscan.ops;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The operations endpoints of a process that has no HTTP API of its own (workers, devservices,
 * all): {@code GET /health} (liveness: the process answers), {@code GET /ready} (readiness: the
 * group finished deploying, is not shutting down, and every {@link ReadinessCheck} passes within
 * {@code check_timeout_ms}; 503 with the failing checks otherwise) and {@code GET /metrics}
 * (Prometheus). Load balancers and orchestrators use {@code /ready} to route and drain, so it
 * turns false as soon as a shutdown starts.
 *
 * <p>Slice {@code ops}: {@code host} (0.0.0.0), {@code port} (per group; 0 any free port,
 * -1 no ops server), {@code check_timeout_ms} (2000).
 */
public final class OpsVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(OpsVerticle.class);

    private final String group;
    private final Supplier<List<ReadinessCheck>> checks;
    private final Supplier<Boolean> accepting;
    private HttpServer server;
    private long checkTimeoutMs;
    private List<ReadinessCheck> dependencies = List.of();

    /**
     * @param checks    the group's dependencies, built once when the verticle starts (on its context)
     * @param accepting whether the group is up and not shutting down
     */
    public OpsVerticle(String group, Supplier<List<ReadinessCheck>> checks, Supplier<Boolean> accepting) {
        this.group = Objects.requireNonNull(group, "group");
        this.checks = Objects.requireNonNull(checks, "checks");
        this.accepting = Objects.requireNonNull(accepting, "accepting");
    }

    @Override
    public Future<?> start() {
        JsonObject conf = config();
        int port = conf.getInteger("port", 0);
        checkTimeoutMs = conf.getLong("check_timeout_ms", 2000L);
        if (port < -1 || port > 65535) {
            return Future.failedFuture(new IllegalArgumentException("ops.port must be -1..65535, got " + port));
        }
        if (checkTimeoutMs < 1) {
            return Future.failedFuture(new IllegalArgumentException("ops.check_timeout_ms must be positive"));
        }
        if (port == -1) {
            return Future.succeededFuture();
        }
        dependencies = List.copyOf(checks.get());
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP").put("group", group)));
        router.get("/ready").handler(this::ready);
        if (BackendRegistries.getDefaultNow() != null) {
            router.get("/metrics").handler(PrometheusScrapingHandler.create());
        }
        router.route().handler(ctx -> json(ctx, 404, new JsonObject().put("error", "not_found")
                .put("message", "no such ops endpoint: " + ctx.request().path() + " (try /health, /ready, /metrics)")));
        server = vertx.createHttpServer();
        return server.requestHandler(router).listen(port, conf.getString("host", "0.0.0.0"))
                .onSuccess(s -> LOG.info("ops endpoints for group {} on port {}", group, s.actualPort()));
    }

    /** The bound port, or -1 when the ops server is off. */
    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }

    private void ready(RoutingContext ctx) {
        List<Future<JsonObject>> results = new ArrayList<>();
        for (ReadinessCheck check : dependencies) {
            results.add(timed(check).map(v -> new JsonObject().put("name", check.name()).put("status", "UP"))
                    .recover(e -> Future.succeededFuture(new JsonObject().put("name", check.name()).put("status", "DOWN")
                            .put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()))));
        }
        Future.join(results).onComplete(done -> {
            JsonArray list = new JsonArray();
            boolean up = accepting.get();
            for (Future<JsonObject> r : results) {
                list.add(r.result());
                up &= "UP".equals(r.result().getString("status"));
            }
            JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN").put("group", group)
                    .put("accepting", accepting.get()).put("checks", list);
            json(ctx, up ? 200 : 503, body);
        });
    }

    private Future<?> timed(ReadinessCheck check) {
        Promise<Object> promise = Promise.promise();
        long timer = vertx.setTimer(checkTimeoutMs, id -> promise.tryFail("no answer within " + checkTimeoutMs + " ms"));
        Future<?> running;
        try {
            running = check.check();
        } catch (RuntimeException e) {
            running = Future.failedFuture(e);
        }
        running.onComplete(r -> {
            vertx.cancelTimer(timer);
            if (r.succeeded()) {
                promise.tryComplete();
            } else {
                promise.tryFail(r.cause());
            }
        });
        return promise.future();
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
