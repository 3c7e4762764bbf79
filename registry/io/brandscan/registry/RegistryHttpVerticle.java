package io.brandscan.registry;

import io.brandscan.bus.Addresses;
import io.brandscan.bus.LocalCodec;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's HTTP API, the seed's contract plus {@code /fail}, {@code /claim-commit},
 * {@code /release-lease}, {@code /status}, {@code /brands}, {@code /health} and {@code /metrics}. It holds no state of
 * its own: each request becomes a {@link RegistryCommand} to {@link RegistryVerticle}. Deploy as
 * many instances as there are cores; they share the port.
 */
public final class RegistryHttpVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpVerticle.class);
    private static final String JSON = "application/json";
    /** Results written per chunk of a {@code /results} reply, so a big batch never holds the loop. */
    private static final int RESULTS_PER_CHUNK = 64;

    private RegistrySettings settings;
    private DeliveryOptions delivery;
    private HttpServer server;
    private int inFlight;

    @Override
    public Future<?> start() {
        settings = RegistrySettings.fromJson(config());
        delivery = LocalCodec.delivery(settings.commandTimeoutMillis());
        LocalCodec.ensureRegistered(vertx);
        server = vertx.createHttpServer();
        return server.requestHandler(router()).listen(settings.port(), settings.host());
    }

    /** The port actually bound (useful with port 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private Router router() {
        Router router = Router.router(vertx);
        // Preallocated from Content-Length (bounded by the body limit): growing the buffer by
        // doubling as chunks arrived copied a 13 KB submit body about four times.
        BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()).setPreallocateBodyBuffer(true);
        router.post("/start").handler(body).handler(this::start);
        router.post("/submit").handler(body).handler(this::submit);
        router.post("/fail").handler(body).handler(this::fail);
        router.post("/claim-commit").handler(body).handler(this::claimCommit);
        router.post("/commit-complete").handler(body).handler(this::commitComplete);
        router.post("/release-lease").handler(body).handler(this::releaseLease);
        router.getWithRegex("/results/(?<brand>.+)").handler(this::results);
        router.getWithRegex("/failures/(?<brand>.+)").handler(this::failures);
        router.getWithRegex("/status/(?<brand>.+)").handler(this::status);
        router.get("/brands").handler(this::brands);
        router.get("/health").handler(this::health);
        // The registry has no dependencies: it is ready when its owner answers, as /health checks.
        router.get("/ready").handler(this::health);
        if (BackendRegistries.getDefaultNow() != null) {
            router.get("/metrics").handler(PrometheusScrapingHandler.create());
        }
        router.route().failureHandler(this::failure);
        router.errorHandler(404, this::failure);
        router.errorHandler(405, this::failure);
        return router;
    }

    private void start(RoutingContext ctx) {
        RequestBody body = RequestBody.parse(ctx.body().buffer());
        String brand = body.requiredString("brand");
        int expected = body.requiredPositiveInt("expected_count");
        this.<ActiveBrandRegistry.StartOutcome>ask(new RegistryCommand.Start(brand, expected))
                .onSuccess(outcome -> json(ctx, 200, new JsonObject()
                        .put("brand", brand).put("expected_count", expected)
                        .put("created", outcome == ActiveBrandRegistry.StartOutcome.CREATED).encode()))
                .onFailure(ctx::fail);
    }

    private void submit(RoutingContext ctx) {
        // The parser may rearrange the bytes in place: the request body is this request's alone.
        SubmitBodyParser.Submit submit = SubmitBodyParser.parseOwned(ownedBytes(ctx));
        this.<BatchOutcome>ask(new RegistryCommand.Submit(submit.brand(), submit.result()))
                .onSuccess(outcome -> json(ctx, 200, RegistryJson.outcome(outcome)))
                .onFailure(ctx::fail);
    }

    private void fail(RoutingContext ctx) {
        RequestBody body = RequestBody.parse(ctx.body().buffer());
        String brand = body.requiredString("brand");
        String url = body.requiredString("url");
        String error = body.requiredString("error");
        this.<BatchOutcome>ask(new RegistryCommand.Fail(brand, url, error))
                .onSuccess(outcome -> json(ctx, 200, RegistryJson.outcome(outcome)))
                .onFailure(ctx::fail);
    }

    private void claimCommit(RoutingContext ctx) {
        String brand = RequestBody.parse(ctx.body().buffer()).requiredString("brand");
        this.<BatchOutcome>ask(new RegistryCommand.ClaimCommit(brand))
                .onSuccess(outcome -> json(ctx, 200, RegistryJson.outcome(outcome)))
                .onFailure(ctx::fail);
    }

    private void commitComplete(RoutingContext ctx) {
        RequestBody body = RequestBody.parse(ctx.body().buffer());
        String brand = body.requiredString("brand");
        String lease = body.optionalString("lease");
        this.<BatchStatus>ask(new RegistryCommand.CommitComplete(brand, lease))
                .onSuccess(last -> json(ctx, 200, new JsonObject().put("brand", brand).put("committed", true)
                        .put("completed", last.completed()).put("failed", last.failed()).encode()))
                .onFailure(ctx::fail);
    }

    /** A stopping worker gives its commit lease back, so another can claim the commit at once. */
    private void releaseLease(RoutingContext ctx) {
        RequestBody body = RequestBody.parse(ctx.body().buffer());
        String brand = body.requiredString("brand");
        String lease = body.requiredString("lease");
        this.<BatchStatus>ask(new RegistryCommand.ReleaseLease(brand, lease))
                .onSuccess(now -> json(ctx, 200, new JsonObject().put("brand", brand).put("released", true)
                        .put("commit_state", now.commitState().wireName()).encode()))
                .onFailure(ctx::fail);
    }

    /**
     * {@code GET /results/{brand}}: every result, or with {@code ?offset=&limit=} a page of them
     * (offset from 0, limit 1 to 10000), so a committer holds one page of a big batch at a time.
     */
    private void results(RoutingContext ctx) {
        String rawLimit = ctx.queryParams().get("limit");
        int offset = queryOffset(ctx.queryParams().get("offset"));
        int limit = rawLimit == null ? Integer.MAX_VALUE : queryLimit(rawLimit);
        this.<List<StoredResult>>ask(new RegistryCommand.Results(ctx.pathParam("brand"), offset, limit))
                .onSuccess(results -> writeResults(ctx.response(), results, 0))
                .onFailure(ctx::fail);
    }

    private void failures(RoutingContext ctx) {
        this.<List<FailedUrl>>ask(new RegistryCommand.Failures(ctx.pathParam("brand")))
                .onSuccess(failures -> json(ctx, 200, RegistryJson.failures(failures).encode()))
                .onFailure(ctx::fail);
    }

    private void status(RoutingContext ctx) {
        this.<BatchStatus>ask(new RegistryCommand.Status(ctx.pathParam("brand")))
                .onSuccess(status -> json(ctx, 200, RegistryJson.status(status).encode()))
                .onFailure(ctx::fail);
    }

    private void brands(RoutingContext ctx) {
        String after = ctx.queryParams().get("after");
        int limit = queryLimit(ctx.queryParams().get("limit"));
        this.<List<BatchStatus>>ask(new RegistryCommand.ListBatches(after, limit))
                .onSuccess(list -> json(ctx, 200, new JsonObject()
                        .put("batches", RegistryJson.statuses(list))
                        .put("next_after", list.size() == limit ? list.get(list.size() - 1).brand() : null)
                        .encode()))
                .onFailure(ctx::fail);
    }

    private void health(RoutingContext ctx) {
        this.<RegistryCommand.Totals>ask(new RegistryCommand.Health())
                .onSuccess(t -> json(ctx, 200, "{\"status\":\"UP\",\"batches\":" + t.batches()
                        + ",\"results\":" + t.results() + ",\"bytes\":" + t.bytes()
                        + ",\"memory_budget_bytes\":" + t.memoryBudgetBytes() + ",\"leases_active\":" + t.leased() + "}"))
                .onFailure(ctx::fail);
    }

    /** Streams a results array in chunks, waiting for the socket to drain between them. */
    private void writeResults(HttpServerResponse response, List<StoredResult> results, int from) {
        if (from == 0) {
            response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        }
        Buffer chunk = Buffer.buffer(from == 0 ? "[" : "");
        int to = Math.min(results.size(), from + RESULTS_PER_CHUNK);
        for (int i = from; i < to; i++) {
            if (i > 0) {
                chunk.appendByte((byte) ',');
            }
            RegistryJson.appendResult(chunk, results.get(i));
        }
        if (to == results.size()) {
            response.end(chunk.appendByte((byte) ']'));
            return;
        }
        response.write(chunk);
        if (response.writeQueueFull()) {
            response.drainHandler(v -> writeResults(response, results, to));
        } else {
            vertx.runOnContext(v -> writeResults(response, results, to));
        }
    }

    private <T> Future<T> ask(RegistryCommand command) {
        if (inFlight >= settings.maxInFlight()) {
            return Future.failedFuture(RegistryError.UNAVAILABLE.with("registry is busy: " + inFlight
                    + " requests already waiting (max_in_flight); retry shortly"));
        }
        inFlight++;
        return vertx.eventBus().<T>request(Addresses.REGISTRY_COMMANDS, command, delivery)
                .map(reply -> reply.body())
                .andThen(ar -> inFlight--);
    }

    private void failure(RoutingContext ctx) {
        Throwable cause = ctx.failure();
        RegistryError error;
        String message;
        if (cause instanceof RegistryException e) {
            error = e.error();
            message = e.getMessage();
        } else if (cause instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            error = e.failureCode() >= 0 && e.failureCode() < RegistryError.values().length
                    ? RegistryError.values()[e.failureCode()] : RegistryError.INTERNAL;
            message = e.getMessage();
        } else if (cause instanceof ReplyException e) {
            error = RegistryError.UNAVAILABLE;
            message = "registry state owner did not answer (" + e.failureType() + "); retry shortly";
        } else if (cause == null && ctx.statusCode() == 413) {
            error = RegistryError.BODY_TOO_LARGE;
            message = "request body exceeds max_body_bytes (" + settings.maxBodyBytes() + " bytes)";
            // The rest of the body may still be in flight: close rather than reuse the connection.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        } else if (cause == null && ctx.statusCode() == 404) {
            error = RegistryError.NOT_FOUND;
            message = "no such endpoint: " + ctx.request().method() + " " + ctx.request().path();
        } else if (cause == null && ctx.statusCode() == 405) {
            error = RegistryError.METHOD_NOT_ALLOWED;
            message = ctx.request().method() + " is not allowed on " + ctx.request().path();
        } else if (cause == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            error = ctx.statusCode() == 415 ? RegistryError.UNSUPPORTED_MEDIA_TYPE : RegistryError.INVALID_FIELD;
            message = "bad request (" + ctx.statusCode() + ")";
        } else {
            LOG.error("registry request {} {} failed", ctx.request().method(), ctx.request().path(), cause);
            error = RegistryError.INTERNAL;
            message = "internal error";
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        json(ctx, error.status(), RegistryJson.error(error, message).encode());
    }

    private static int queryOffset(String raw) {
        if (raw == null) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(raw);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the refusal below
        }
        throw RegistryError.INVALID_FIELD.with("offset must be an integer of at least 0, got '" + raw + "'");
    }

    private static int queryLimit(String raw) {
        if (raw == null) {
            return 1000;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= 10_000) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the refusal below
        }
        throw RegistryError.INVALID_FIELD.with("limit must be an integer from 1 to 10000, got '" + raw + "'");
    }

    /**
     * The request body as an array the caller may rearrange. The body handler preallocates the
     * buffer from Content-Length, so its heap array usually is exactly the body: then it is handed
     * over as it is, and a 13 KB copy per {@code /submit} (a third of the registry's allocation,
     * and so of its collector's work with a large live set) is saved. Otherwise, one copy.
     */
    private static byte[] ownedBytes(RoutingContext ctx) {
        Buffer buffer = ctx.body().buffer();
        if (buffer == null) {
            return new byte[0];
        }
        if (buffer instanceof BufferInternal internal) {
            ByteBuf whole = internal.getByteBuf();
            if (whole.hasArray() && whole.arrayOffset() == 0 && whole.readerIndex() == 0
                    && whole.array().length == whole.readableBytes()) {
                return whole.array();
            }
        }
        return buffer.getBytes();
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
    }
}
