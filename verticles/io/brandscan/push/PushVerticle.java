package io.brandscan.push;

import io.brandscan.bus.Addresses;
import io.brandscan.store.ScanStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The push tier's HTTP server: outbound only, scoped to the caller's client.
 *
 * <ul>
 *   <li>{@code GET /api/v1/scans/{id}/events}: the scan's progress as Server-Sent Events
 *   ({@code id: <seq>}, {@code event: <type>}, {@code data: <json>}), resumed after
 *   {@code Last-Event-ID} (header) or {@code ?last_event_id=} from persisted events, then live,
 *   with no gaps and no repeats (see {@link ScanEventStream}). The token comes as
 *   {@code Authorization: Bearer <token>} or as {@code ?access_token=<token>}, because a
 *   browser's EventSource cannot set headers (keep such URLs out of logs). No or a bad token:
 *   401; a scan of another client: 404, exactly like a missing one. A platform admin names the
 *   client with {@code ?client_id=}.</li>
 *   <li>{@code /eventbus/*}: the SockJS event-bus bridge, guarded by {@link BridgeGuard}: nothing
 *   inbound, and a browser registers only its own client's address.</li>
 * </ul>
 *
 * Reads the {@code push}, {@code mongo} and {@code store} slices of its configuration. The
 * verticle owns one event-bus consumer of {@link Addresses#SCAN_PROGRESS} feeding all of its
 * streams; {@link ClientScanForwarder} (one per node) feeds the bridge.
 */
public final class PushVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(PushVerticle.class);
    /**
     * The client addresses the bridge may carry out at all (client ids as ScanIds accepts them);
     * which one a socket may register is {@link BridgeGuard}'s decision.
     */
    private static final Pattern CLIENT_ADDRESS = Pattern.compile(
            Pattern.quote(Addresses.CLIENT_PREFIX) + "[A-Za-z0-9._:-]{1,128}" + Pattern.quote(Addresses.CLIENT_SCANS_SUFFIX));

    private final Clock clock;
    private final PushCounters counters;
    private final TokenVerifier givenVerifier;
    private PushSettings settings;
    private ScanStore store;
    private TokenVerifier verifier;
    private HttpServer server;
    private final LiveScans live = new LiveScans();
    private MessageConsumer<JsonObject> progress;
    private int openStreams;

    public PushVerticle(Clock clock, PushCounters counters) {
        this(clock, counters, null);
    }

    /** With a verifier of the caller's (the API's, say); null builds the HS256 one from conf. */
    public PushVerticle(Clock clock, PushCounters counters, TokenVerifier verifier) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.givenVerifier = verifier;
    }

    @Override
    public Future<?> start() {
        try {
            settings = PushSettings.from(config().getJsonObject("push"));
            verifier = givenVerifier != null ? givenVerifier
                    : JwtTokenVerifier.create(vertx, settings.jwtSecret(), settings.adminToken());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        progress = vertx.eventBus().consumer(Addresses.SCAN_PROGRESS, m -> live.dispatch(m.body()));
        return ScanStore.open(vertx, config().getJsonObject("mongo", new JsonObject()),
                        config().getJsonObject("store", new JsonObject()), clock)
                .compose(opened -> {
                    store = opened;
                    return progress.completion();
                })
                .compose(v -> vertx.createHttpServer(new HttpServerOptions().setHost(settings.host())
                                .setPort(settings.port()))
                        .requestHandler(router())
                        .listen())
                .onSuccess(s -> {
                    server = s;
                    LOG.info("push listening on {}:{} {}", settings.host(), s.actualPort(), settings);
                });
    }

    @Override
    public Future<?> stop() {
        return store == null ? Future.succeededFuture() : store.close();
    }

    /** The port the server took (the real one when configured with 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.get("/api/v1/scans/:id/events").handler(this::events);
        SockJSHandler sockJs = SockJSHandler.create(vertx, new SockJSHandlerOptions()
                .setSessionTimeout(settings.sessionTimeoutMs())
                .setRegisterWriteHandler(false));
        SockJSBridgeOptions bridge = new SockJSBridgeOptions()
                // No inbound permitted at all: browsers never send or publish.
                .addOutboundPermitted(new PermittedOptions().setAddressRegex(CLIENT_ADDRESS.pattern()))
                .addOutboundPermitted(new PermittedOptions().setAddress(Addresses.REGISTRY_PROGRESS))
                .setMaxHandlersPerSocket(settings.maxHandlersPerSocket())
                .setPingTimeout(settings.pingTimeoutMs());
        router.route("/eventbus/*").subRouter(sockJs.bridge(bridge, new BridgeGuard(verifier, settings, counters)));
        return router;
    }

    private void events(RoutingContext ctx) {
        // The dashboard page comes from the api group, often another origin: EventSource needs CORS.
        ctx.response().putHeader("Access-Control-Allow-Origin", settings.allowOrigin());
        String token = BridgeGuard.bearer(ctx.request().getHeader("Authorization"));
        if (token == null) {
            token = ctx.request().getParam("access_token");
        }
        if (token == null || token.isBlank()) {
            error(ctx, 401, "unauthorized", "a bearer token is required");
            return;
        }
        long lastId;
        try {
            lastId = lastEventId(ctx);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "bad_request", e.getMessage());
            return;
        }
        String scanId = ctx.pathParam("id");
        verifier.verify(token).onComplete(verified -> {
            if (verified.failed()) {
                error(ctx, 401, "unauthorized", "the token is not valid");
                return;
            }
            Principal who = verified.result();
            String clientId = who.isPlatformAdmin() && ctx.request().getParam("client_id") != null
                    ? ctx.request().getParam("client_id") : who.clientId();
            if (clientId == null) {
                error(ctx, 404, "not_found", "no such scan");
                return;
            }
            store.scans().get(clientId, scanId).onComplete(found -> {
                if (found.failed()) {
                    LOG.warn("scan read failed client_id={} scan_id={} error={}", clientId, scanId, String.valueOf(found.cause()));
                    error(ctx, 503, "unavailable", "scan store unavailable");
                } else if (found.result().isEmpty()) {
                    error(ctx, 404, "not_found", "no such scan");
                } else if (openStreams >= settings.maxStreams()) {
                    error(ctx, 503, "too_many_streams", "this push node is full; retry another");
                } else {
                    openStreams++;
                    new ScanEventStream(vertx, ctx.response(), store.scans(), settings, counters, clientId, scanId,
                            lastId, () -> openStreams--).start(live);
                }
            });
        });
    }

    /** {@code Last-Event-ID} (what EventSource sends on reconnect) or {@code ?last_event_id=}; 0 for none. */
    static long lastEventId(RoutingContext ctx) {
        String raw = ctx.request().getHeader("Last-Event-ID");
        if (raw == null || raw.isBlank()) {
            raw = ctx.request().getParam("last_event_id");
        }
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(raw.trim());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Last-Event-ID must be a non-negative integer");
        }
    }

    private static void error(RoutingContext ctx, int status, String code, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", code).put("message", message).encode());
    }
}
