package io.brandscan.api;

import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.worker.EmbeddingClient;
import io.brandscan.mongo.MongoConnection;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.pipeline.ScanStarter;
import io.brandscan.queue.SqsBroker;
import io.brandscan.registry.RegistryClient;
import io.brandscan.scan.ReviewStatus;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanIds;
import io.brandscan.schedule.BrandSchedules;
import io.brandscan.schedule.InvalidScheduleException;
import io.brandscan.schedule.ScheduleJson;
import io.brandscan.storage.ObjectStore;
import io.brandscan.store.Finding;
import io.brandscan.store.FindingQuery;
import io.brandscan.store.Page;
import io.brandscan.store.ScanDocuments;
import io.brandscan.store.ScanStore;
import io.brandscan.store.StoreSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The REST API ({@code /api/v1}), built from the OpenAPI document beside this class
 * ({@code openapi.json}, served at {@code /api/v1/openapi.json}): every path and method in the
 * document becomes a route, and every route runs the same chain: bounded body, authentication
 * ({@link Authenticator}), the role check the document states ({@code x-brandscan-roles}), request
 * validation against the document, then the operation. Refusals all leave through
 * {@link ErrorResponses}. The client always comes from the credential; every repository call
 * filters by it, so another client's resource answers exactly as a missing one (404).
 *
 * <p>Reads only its {@code api}, {@code mongo}, {@code store}, {@code sqs} and {@code s3} slices.
 * Reference image uploads need an embedding verticle on the event bus (same process, or the
 * cluster); without one they answer 503. Scan starts
 * go through the {@link ScanAdmission} given to the constructor (per-client limits plug in
 * there) and then {@link ScanStarter}. Password hashing runs on a small named worker pool.
 */
public final class ApiVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
    static final String CONTRACT_RESOURCE = "io/brandscan/api/openapi.json";
    private static final String CALLER = "brandscan.caller";
    /** The multipart upload: its own body limit, and no JSON body validation. */
    static final String UPLOAD_OPERATION = "uploadReferenceImage";
    private static final int EXPORT_PAGE = 500;
    private static final int REVIEW_TRAIL_MAX = 200;

    private final ScanAdmission admission;
    private final Clock clock;

    private ApiSettings settings;
    private ScanStore store;
    private MongoClient mongo;
    private SqsBroker broker;
    private Accounts accounts;
    private Brands brands;
    private RegistryClient registry;
    private BrandSchedules schedules;
    private Reviews reviews;
    private Authenticator authenticator;
    private SessionTokens sessions;
    private PasswordHasher passwords;
    private WorkerExecutor kdf;
    private WorkerExecutor imageWorkers;
    private ObjectStore objects;
    private ReferenceUploads uploads;
    private ScanStarter starter;
    private ScanProgress progress;
    private Buffer contractText;
    private HttpServer server;
    /** Password hashes queued or running; only touched on this verticle's event loop. */
    private int hashing;

    public ApiVerticle() {
        this(ScanAdmission.ADMIT_ALL, Clock.systemUTC());
    }

    public ApiVerticle(ScanAdmission admission) {
        this(admission, Clock.systemUTC());
    }

    public ApiVerticle(ScanAdmission admission, Clock clock) {
        this.admission = Objects.requireNonNull(admission, "admission");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The slices this verticle reads, from a group's whole configuration. */
    public static JsonObject configFrom(JsonObject groupConf) {
        JsonObject conf = new JsonObject();
        for (String slice : List.of("api", "sqs", "mongo", "store", "s3", "registry_client")) {
            conf.put(slice, groupConf.getJsonObject(slice, new JsonObject()).copy());
        }
        return conf;
    }

    /** The port the server listens on (useful with port 0). */
    public int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> start() {
        try {
            settings = ApiSettings.fromJson(config().getJsonObject("api"));
            passwords = new PasswordHasher(settings.kdfIterations());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        String secret = settings.jwtSecret().isEmpty() ? Accounts.randomHex(32) : settings.jwtSecret();
        if (settings.jwtSecret().isEmpty()) {
            LOG.warn("api.jwt_secret is not set: using a random key, so session tokens die with this process");
        }
        kdf = vertx.createSharedWorkerExecutor("brandscan-api-kdf", settings.kdfThreads());
        imageWorkers = vertx.createSharedWorkerExecutor("brandscan-api-images", settings.imageThreads());
        JsonObject mongoConf = config().getJsonObject("mongo", new JsonObject()).copy();
        mongo = MongoConnection.client(vertx, mongoConf);
        accounts = new Accounts(mongo, clock);
        brands = new Brands(mongo, clock);
        registry = new RegistryClient(vertx, RegistryClient.Settings.fromJson(
                config().getJsonObject("registry_client", new JsonObject()).copy().put("max_attempts", 1)));
        schedules = new BrandSchedules(mongo, "brands", clock);
        reviews = new Reviews(mongo, clock, REVIEW_TRAIL_MAX);
        sessions = new SessionTokens(vertx, secret, settings.jwtIssuer(), settings.tokenTtlSeconds(), clock);
        authenticator = new Authenticator(accounts, sessions, settings.adminToken());
        StoreSettings storeSettings;
        try {
            storeSettings = StoreSettings.from(config().getJsonObject("store"));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        broker = SqsBroker.create(vertx, config().getJsonObject("sqs", new JsonObject()));
        return ScanStore.over(MongoConnection.client(vertx, mongoConf), storeSettings, clock)
                .compose(opened -> {
                    store = opened;
                    progress = new ScanProgress(vertx, store.scans(), clock);
                    return broker.open("gather");
                })
                .compose(gather -> {
                    starter = new ScanStarter(store.scans(), gather, progress);
                    return ObjectStore.open(vertx, config().getJsonObject("s3", new JsonObject()));
                })
                .compose(opened -> {
                    objects = opened;
                    uploads = new ReferenceUploads(mongo, objects, new EmbeddingClient(vertx, EmbeddingClient.DEFAULT_TIMEOUT),
                            imageWorkers, ImageDecoder.withDefaults(), clock);
                    return Future.all(accounts.createIndexes(), brands.createIndexes(), reviews.createIndexes());
                })
                .compose(v -> vertx.fileSystem().readFile(CONTRACT_RESOURCE))
                .compose(text -> {
                    contractText = text;
                    return OpenAPIContract.from(vertx, text.toJsonObject());
                })
                .compose(contract -> vertx.createHttpServer(new HttpServerOptions().setHost(settings.host())
                                .setPort(settings.port()))
                        .requestHandler(router(contract)).listen())
                .onSuccess(s -> {
                    server = s;
                    LOG.info("api listening host={} port={}", settings.host(), s.actualPort());
                });
    }

    @Override
    public Future<?> stop() {
        if (broker != null) {
            broker.close();
        }
        if (registry != null) {
            registry.close();
        }
        List<Future<?>> closing = new ArrayList<>();
        if (objects != null) {
            objects.close();
        }
        if (kdf != null) {
            closing.add(kdf.close());
        }
        if (imageWorkers != null) {
            closing.add(imageWorkers.close());
        }
        if (store != null) {
            closing.add(store.close());
        }
        if (mongo != null) {
            closing.add(mongo.close());
        }
        return Future.join(closing);
    }

    // ---- routing -------------------------------------------------------------------------

    private Router router(OpenAPIContract contract) {
        Map<String, BiFunction<RoutingContext, Caller, Future<?>>> operations = operations();
        Router router = Router.router(vertx);
        // Answers carry keys and tokens shown once: never cached; and never content-sniffed.
        router.route().handler((PlatformHandler) ctx -> {
            ctx.response().putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff");
            ctx.next();
        });
        router.route().failureHandler(ErrorResponses::handle);
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            router.errorHandler(status, ctx -> ErrorResponses.write(ctx.response(), status, ErrorResponses.forStatus(status)));
        }
        RequestValidator validator = RequestValidator.create(vertx, contract);
        RequestExtractor extractor = RequestExtractor.withBodyHandler();
        JsonObject paths = contractText.toJsonObject().getJsonObject("paths");
        Set<String> routed = new HashSet<>();
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                JsonObject op = item.getValue(method) instanceof JsonObject o ? o : null;
                if (op == null || !op.containsKey("operationId")) {
                    continue;
                }
                String opId = op.getString("operationId");
                BiFunction<RoutingContext, Caller, Future<?>> action = operations.get(opId);
                if (action == null) {
                    throw new IllegalStateException("openapi.json names operation " + opId + " that the API does not implement");
                }
                routed.add(opId);
                Route route = router.route(HttpMethod.valueOf(method.toUpperCase(java.util.Locale.ROOT)),
                        path.replaceAll("\\{([^}]+)}", ":$1"));
                boolean open = op.getJsonArray("security") != null && op.getJsonArray("security").isEmpty();
                if (!open) {
                    // Before the body is read: a request with no credential at all costs no buffering.
                    route.handler((PlatformHandler) ctx -> {
                        if (ctx.request().getHeader("Authorization") == null) {
                            ctx.fail(ApiException.unauthorized("an Authorization: Bearer <token> header is required"));
                        } else {
                            ctx.next();
                        }
                    });
                }
                route.handler(bodyHandler(opId));
                if (!open) {
                    Set<Role> roles = new HashSet<>();
                    op.getJsonArray("x-brandscan-roles", new JsonArray()).forEach(r -> roles.add(Role.fromWire((String) r)));
                    route.handler(ctx -> authenticator.authenticate(ctx.request().getHeader("Authorization"))
                            .onSuccess(caller -> {
                                if (!roles.contains(caller.role())) {
                                    ctx.fail(ApiException.forbidden("role " + caller.role().wireName() + " may not " + opId));
                                    return;
                                }
                                ctx.put(CALLER, caller);
                                ctx.next();
                            })
                            .onFailure(ctx::fail));
                }
                if (!UPLOAD_OPERATION.equals(opId)) {
                    route.handler(ctx -> extractor.extractValidatableRequest(ctx, contract.operation(opId))
                            .compose(request -> validator.validate(request, opId))
                            .onSuccess(valid -> ctx.next())
                            .onFailure(ctx::fail));
                }
                route.handler(ctx -> {
                    try {
                        action.apply(ctx, ctx.get(CALLER)).onFailure(ctx::fail);
                    } catch (RuntimeException e) {
                        ctx.fail(e);
                    }
                });
            }
        }
        dashboard(router);
        if (!routed.containsAll(operations.keySet())) {
            Set<String> missing = new HashSet<>(operations.keySet());
            missing.removeAll(routed);
            throw new IllegalStateException("operations missing from openapi.json: " + missing);
        }
        return router;
    }

    /**
     * The browser dashboard: static files from the classpath folder {@code dashboard} (the
     * top-level {@code dashboard/} of the repository, packed into the jar) at {@code /}, and the
     * one thing the page cannot know by itself, where the push tier is, at
     * {@code /dashboard-config.json}. After the API routes, so it never shadows one.
     */
    private void dashboard(Router router) {
        String push = settings.pushUrl();
        String csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data: http: https:; "
                + "connect-src 'self'" + (push.isEmpty() ? "" : " " + push + " " + push.replaceFirst("^http", "ws"))
                + "; frame-ancestors 'none'; base-uri 'none'";
        router.get("/dashboard-config.json").handler(ctx -> json(ctx, 200, new JsonObject().put("push_url", push)
                .put("api_base", "/api/v1")));
        // GET and HEAD only, and never under /api/: an API path with a wrong method must still
        // answer 405, and an unknown API path the API's JSON 404.
        String files = "^/(?!api/).*";
        StaticHandler statics = StaticHandler.create("dashboard").setIndexPage("index.html")
                .setCachingEnabled(false).setDirectoryListing(false).setIncludeHidden(false);
        router.routeWithRegex(files).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler((PlatformHandler) ctx -> {
                    ctx.response().putHeader("Content-Security-Policy", csp);
                    ctx.next();
                })
                .handler(statics);
    }

    private BodyHandler bodyHandler(String opId) {
        if (UPLOAD_OPERATION.equals(opId)) {
            return BodyHandler.create(Path.of(System.getProperty("java.io.tmpdir"), "brandscan-uploads").toString())
                    .setBodyLimit(settings.maxUploadBytes()).setDeleteUploadedFilesOnEnd(true);
        }
        return BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes());
    }

    private Map<String, BiFunction<RoutingContext, Caller, Future<?>>> operations() {
        Map<String, BiFunction<RoutingContext, Caller, Future<?>>> ops = new HashMap<>();
        ops.put("getOpenApi", (ctx, c) -> ctx.response().putHeader("content-type", "application/json").end(contractText));
        ops.put("login", this::login);
        ops.put("createClient", this::createClient);
        ops.put("registryBatches", this::registryBatches);
        ops.put("createUser", this::createUser);
        ops.put("listUsers", (ctx, c) -> paged(ctx, p -> accounts.listUsers(c.clientId(), p.offset(), p.limit())));
        ops.put("deleteUser", (ctx, c) -> accounts.deleteUser(c.clientId(), ctx.pathParam("user_id"))
                .map(done -> noContentOr404(ctx, done, "user")));
        ops.put("createApiKey", this::createApiKey);
        ops.put("listApiKeys", (ctx, c) -> paged(ctx, p -> accounts.listKeys(c.clientId(), p.offset(), p.limit())));
        ops.put("revokeApiKey", (ctx, c) -> accounts.revokeKey(c.clientId(), ctx.pathParam("key_id"))
                .map(done -> noContentOr404(ctx, done, "api key")));
        ops.put("rotateApiKey", (ctx, c) -> accounts.rotateKey(c.clientId(), ctx.pathParam("key_id"))
                .compose(rotated -> rotated.map(json -> json(ctx, 200, json))
                        .orElseGet(() -> Future.failedFuture(ApiException.notFound("api key")))));
        ops.put("putBrand", this::putBrand);
        ops.put("getBrand", (ctx, c) -> brands.get(c.clientId(), ctx.pathParam("brand_id"))
                .compose(doc -> doc.map(d -> json(ctx, 200, Brands.view(d)))
                        .orElseGet(() -> Future.failedFuture(ApiException.notFound("brand")))));
        ops.put("listBrands", (ctx, c) -> paged(ctx, p -> brands.list(c.clientId(), p.offset(), p.limit())));
        ops.put("deleteBrand", (ctx, c) -> brands.delete(c.clientId(), ctx.pathParam("brand_id"))
                .compose(done -> !done ? Future.succeededFuture(false)
                        : mongo.removeDocuments(ReferenceUploads.COLLECTION, new JsonObject().put("client_id", c.clientId())
                        .put("brand_id", ctx.pathParam("brand_id"))).map(true))
                .map(done -> noContentOr404(ctx, done, "brand")));
        ops.put(UPLOAD_OPERATION, this::uploadReferenceImage);
        ops.put("getReferenceImage", (ctx, c) -> uploads.bytes(c.clientId(), ctx.pathParam("brand_id"), ctx.pathParam("image_id"))
                .compose(bytes -> image(ctx, bytes.orElseThrow(() -> ApiException.notFound("reference image")))));
        ops.put("deleteReferenceImage", (ctx, c) -> uploads.remove(c.clientId(), ctx.pathParam("brand_id"), ctx.pathParam("image_id"))
                .map(done -> noContentOr404(ctx, done, "reference image")));
        ops.put("getFindingImage", (ctx, c) -> store.findings().get(c.clientId(), ctx.pathParam("finding_id"))
                .compose(f -> f.isEmpty() ? Future.failedFuture(ApiException.notFound("finding"))
                        : uploads.stored(f.get().listing().getString("s3_path")))
                .compose(bytes -> image(ctx, bytes.orElseThrow(() -> ApiException.notFound("stored image")))));
        ops.put("startScan", this::startScan);
        ops.put("listScans", (ctx, c) -> paged(ctx, p -> store.scans().list(c.clientId(), new Page(p.offset(), p.limit()))
                .map(scans -> scans.stream().map(ScanDocuments::scanView).toList())));
        ops.put("getScan", (ctx, c) -> scan(c, ctx.pathParam("scan_id")).map(scan -> json(ctx, 200, ScanDocuments.scanView(scan))));
        ops.put("cancelScan", this::cancelScan);
        ops.put("listFindings", this::listFindings);
        ops.put("exportFindings", this::exportFindings);
        ops.put("getFinding", (ctx, c) -> findingDetail(c, ctx.pathParam("finding_id")).map(detail -> json(ctx, 200, detail)));
        ops.put("reviewFinding", this::reviewFinding);
        return ops;
    }

    // ---- auth and accounts ---------------------------------------------------------------

    private Future<?> login(RoutingContext ctx, Caller none) {
        JsonObject body = ctx.body().asJsonObject();
        String clientId = body.getString("client_id");
        String email = body.getString("email");
        String password = body.getString("password");
        return accounts.usersByEmail(clientId, email).compose(users -> {
            if (users.size() > 1) {
                return Future.failedFuture(ApiException.invalid("client_id",
                        "client_id is required: this email has accounts with several clients"));
            }
            Accounts.UserRecord user = users.isEmpty() ? null : users.get(0);
            if (user != null && user.lockedUntil() > clock.millis()) {
                long wait = Math.max(1, (user.lockedUntil() - clock.millis() + 999) / 1000);
                return Future.failedFuture(new ApiException(429, "limit_exceeded",
                        "too many wrong passwords: login is locked for " + wait + " s", "login_attempts", wait));
            }
            return hashing(() -> {
                if (user == null) {
                    passwords.verifyNothing(password);
                    return false;
                }
                return passwords.verify(password, user.passwordHash());
            }).compose(ok -> {
                if (!ok) {
                    LOG.info("login refused email_hash={}", ApiKey.sha256Hex(email).substring(0, 12));
                    Future<Void> counted = user == null ? Future.succeededFuture()
                            : accounts.loginFailed(user, settings.loginMaxFailures(), settings.loginLockoutSeconds() * 1000L);
                    return counted.compose(v -> Future.failedFuture(ApiException.unauthorized("wrong email or password")));
                }
                JsonObject token = sessions.issue(user.id(), user.clientId(), user.role())
                        .put("role", user.role().wireName()).put("client_id", user.clientId()).put("user_id", user.id());
                return accounts.loginSucceeded(user).compose(v -> json(ctx, 200, token));
            });
        });
    }

    /**
     * The operator view of the Active Brand Registry (platform admin only): one page of the active
     * batches with their progress, commit state and lease, read from the registry's own API, which
     * has no authentication of its own and so is never exposed to browsers.
     */
    private Future<?> registryBatches(RoutingContext ctx, Caller caller) {
        String after = ctx.queryParams().get("after");
        String limitText = ctx.queryParams().get("limit");
        int limit = limitText == null ? 100 : Integer.parseInt(limitText);
        return registry.batches(after, limit)
                .recover(e -> Future.failedFuture(new ApiException(503, "registry_unavailable",
                        "the registry did not answer: " + e.getMessage(), null, 5L)))
                .compose(page -> json(ctx, 200, page));
    }

    private Future<?> createClient(RoutingContext ctx, Caller caller) {
        JsonObject body = ctx.body().asJsonObject();
        return accounts.createClient(body.getString("name"), body.getString("id")).compose(created -> {
            ctx.response().putHeader("Location", "/api/v1/clients/" + created.getString("id"));
            return json(ctx, 201, created);
        });
    }

    private Future<?> createUser(RoutingContext ctx, Caller caller) {
        JsonObject body = ctx.body().asJsonObject();
        Role role = Role.fromWire(body.getString("role"));
        String password = body.getString("password");
        return hashing(() -> passwords.hash(password))
                .compose(hash -> accounts.createUser(caller.clientId(), body.getString("email"), role, hash))
                .compose(user -> json(ctx, 201, user));
    }

    private Future<?> createApiKey(RoutingContext ctx, Caller caller) {
        JsonObject body = ctx.body() == null || ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
        // Least privilege: a key made without a role can run scans and review, not manage users or keys.
        Role role = Role.fromWire(body.getString("role", Role.ANALYST.wireName()));
        return accounts.createKey(caller.clientId(), body.getString("name", ""), role).compose(key -> json(ctx, 201, key));
    }

    /**
     * Runs slow password work on the KDF pool, at most {@code kdf_queue_max} at once (queued or
     * running): past that the API answers 503 with Retry-After instead of queueing without bound,
     * so a login flood delays nobody's scans and cannot grow memory.
     */
    private <T> Future<T> hashing(java.util.concurrent.Callable<T> work) {
        if (hashing >= settings.kdfQueueMax()) {
            return Future.failedFuture(new ApiException(503, "busy", "too many logins in progress; try again shortly", null, 1L));
        }
        hashing++;
        return kdf.executeBlocking(work, false).andThen(done -> hashing--);
    }

    // ---- brands --------------------------------------------------------------------------

    private Future<?> putBrand(RoutingContext ctx, Caller caller) {
        String brandId = ctx.pathParam("brand_id");
        JsonObject fields = BrandDocument.validate(caller.clientId(), ctx.body().asJsonObject(), settings.maxReferenceImages());
        JsonObject schedule = fields.getValue("schedule") instanceof JsonObject o ? o : null;
        if (schedule != null) {
            try {
                ScheduleJson.parse(schedule);
            } catch (InvalidScheduleException e) {
                throw ApiException.invalid(e.field(), e.getMessage());
            }
        }
        return brands.get(caller.clientId(), brandId).compose(existing -> {
                    int uploaded = existing.map(d -> d.getJsonArray("reference_uploads", new JsonArray()).size()).orElse(0);
                    int urls = fields.getJsonArray("reference_images", new JsonArray()).size();
                    if (uploaded + urls > settings.maxReferenceImages()) {
                        return Future.failedFuture(ApiException.invalid("reference_images", "reference_images and the "
                                + uploaded + " uploaded reference(s) come to more than " + settings.maxReferenceImages()));
                    }
                    return brands.put(caller.clientId(), brandId, fields);
                })
                // Plans the first slot now, and clears a parked schedule error the old schedule left.
                .compose(created -> schedule == null ? Future.succeededFuture(created)
                        : schedules.plan(caller.clientId(), brandId, schedule).map(slot -> created))
                .compose(created -> brands.get(caller.clientId(), brandId).compose(doc -> {
                    LOG.info("brand stored client_id={} brand_id={} created={}", caller.clientId(), brandId, created);
                    return json(ctx, created ? 201 : 200, Brands.view(doc.orElseThrow()));
                }));
    }

    private Future<?> uploadReferenceImage(RoutingContext ctx, Caller caller) {
        String brandId = ctx.pathParam("brand_id");
        try {
            ScanIds.requireValid("brand_id", brandId);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("brand_id", e.getMessage());
        }
        return brands.get(caller.clientId(), brandId).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("brand"));
            }
            String type = ctx.request().getHeader("content-type");
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
                return Future.failedFuture(new ApiException(415, "unsupported_media_type",
                        "send the image as multipart/form-data in a field named image", "image", null));
            }
            List<FileUpload> files = ctx.fileUploads();
            if (files.size() != 1) {
                return Future.failedFuture(ApiException.invalid("image", "send exactly one file, in a field named image"));
            }
            return vertx.fileSystem().readFile(files.get(0).uploadedFileName())
                    .compose(bytes -> uploads.add(caller, found.get(), bytes.getBytes(), settings.maxReferenceImages()));
        }).compose(summary -> json(ctx, summary.getBoolean("created") ? 201 : 200, summary));
    }

    // ---- scans ---------------------------------------------------------------------------

    private Future<?> startScan(RoutingContext ctx, Caller caller) {
        String brandId = ctx.body().asJsonObject().getString("brand_id");
        return brands.get(caller.clientId(), brandId).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("brand"));
            }
            String scanId = ScanIds.newScanId();
            return admission.admit(caller.clientId(), scanId).compose(decision -> {
                if (!decision.allowed()) {
                    LOG.info("scan refused client_id={} brand_id={} limit={}", caller.clientId(), brandId, decision.limit());
                    return Future.failedFuture(ApiException.limited(decision));
                }
                return starter.start(caller.clientId(), scanId, brandId, Brands.snapshot(found.get()))
                        .recover(e -> admission.refund(caller.clientId(), scanId).transform(r -> Future.failedFuture(e)));
            });
        }).compose(scan -> {
            ctx.response().putHeader("Location", "/api/v1/scans/" + scan.id());
            return json(ctx, 202, new JsonObject().put("id", scan.id()).put("brand_id", brandId)
                    .put("state", scan.state().wireName()));
        });
    }

    private Future<Scan> scan(Caller caller, String scanId) {
        return store.scans().get(caller.clientId(), scanId).compose(found -> found.map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(ApiException.notFound("scan"))));
    }

    private Future<?> cancelScan(RoutingContext ctx, Caller caller) {
        String scanId = ctx.pathParam("scan_id");
        return scan(caller, scanId).compose(scan -> {
            if (scan.state().isTerminal()) {
                return Future.failedFuture(ApiException.conflict("the scan is already " + scan.state().wireName()));
            }
            return store.scans().cancel(caller.clientId(), scanId).compose(cancelled -> admission
                    .release(caller.clientId(), scanId).otherwiseEmpty().map(v -> cancelled));
        }).compose(cancelled -> cancelled
                .map(scan -> progress.report(scan, ScanEvent.Type.STATE, "cancelled by " + caller.subject())
                        .compose(v -> json(ctx, 200, ScanDocuments.scanView(scan))))
                .orElseGet(() -> Future.failedFuture(ApiException.conflict("the scan finished before it could be cancelled"))));
    }

    // ---- findings ------------------------------------------------------------------------

    private Future<?> listFindings(RoutingContext ctx, Caller caller) {
        String scanId = ctx.pathParam("scan_id");
        double minScore = doubleParam(ctx, "min_score");
        ReviewStatus status = statusParam(ctx);
        Paging p = paging(ctx);
        return scan(caller, scanId).compose(scan -> Future.all(
                        reviews.findings(caller.clientId(), scanId, minScore, status, ctx.queryParams().get("sort"), p.offset(), p.limit()),
                        store.findings().count(caller.clientId(), scanId, new FindingQuery(minScore, status, Page.first(1)))))
                .compose(both -> json(ctx, 200, new JsonObject().put("items", new JsonArray(both.<List<JsonObject>>resultAt(0)))
                        .put("page", p.page()).put("page_size", p.limit()).put("total", both.<Long>resultAt(1))));
    }

    private Future<?> exportFindings(RoutingContext ctx, Caller caller) {
        String scanId = ctx.pathParam("scan_id");
        String format = ctx.queryParams().get("format") == null ? "csv" : ctx.queryParams().get("format");
        double minScore = doubleParam(ctx, "min_score");
        ReviewStatus status = statusParam(ctx);
        return scan(caller, scanId).compose(scan -> collect(caller.clientId(), scanId, minScore, status, 0, new ArrayList<>())
                .compose(rows -> {
                    if ("json".equals(format)) {
                        ctx.response().putHeader("Content-Disposition", "attachment; filename=\"" + scanId + "-findings.json\"");
                        return json(ctx, 200, new JsonObject().put("scan_id", scanId).put("brand_id", scan.brandId())
                                .put("exported_at", clock.millis()).put("count", rows.size())
                                .put("truncated", rows.size() >= settings.exportMax()).put("findings", new JsonArray(rows)));
                    }
                    StringBuilder csv = new StringBuilder(CsvCells.row(List.of("finding_id", "url", "title", "seller",
                            "price", "currency", "image_url", "score", "review_status", "reviewed_by", "brand_id", "scan_id")));
                    for (JsonObject f : rows) {
                        csv.append(CsvCells.row(java.util.Arrays.asList(f.getString("id"), f.getString("url"),
                                f.getString("title"), text(f.getValue("seller")), f.getValue("price"), text(f.getValue("currency")),
                                f.getString("image_url"), f.getValue("score"), f.getString("review_status"),
                                f.getString("reviewed_by"), scan.brandId(), scanId)));
                    }
                    return ctx.response().putHeader("content-type", "text/csv; charset=utf-8")
                            .putHeader("Content-Disposition", "attachment; filename=\"" + scanId + "-findings.csv\"")
                            .end(csv.toString());
                }));
    }

    /** Pages through the findings, highest score first, up to {@code export_max}. */
    private Future<List<JsonObject>> collect(String clientId, String scanId, double minScore, ReviewStatus status, int offset,
                                             List<JsonObject> sofar) {
        int want = Math.min(EXPORT_PAGE, settings.exportMax() - sofar.size());
        if (want <= 0) {
            return Future.succeededFuture(sofar);
        }
        return reviews.findings(clientId, scanId, minScore, status, "-score", offset, want).compose(page -> {
            sofar.addAll(page);
            return page.size() < want ? Future.succeededFuture(sofar)
                    : collect(clientId, scanId, minScore, status, offset + page.size(), sofar);
        });
    }

    private Future<JsonObject> findingDetail(Caller caller, String findingId) {
        return store.findings().get(caller.clientId(), findingId).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("finding"));
            }
            Finding f = found.get();
            return reviews.trail(caller.clientId(), findingId).map(trail -> {
                JsonObject match = f.breakdown().getJsonObject("image", new JsonObject()).getJsonObject("match");
                JsonObject evidence = new JsonObject()
                        .put("listing", f.listing())
                        .put("listing_image", new JsonObject().put("url", f.imageUrl())
                                .put("stored", f.listing().getValue("s3_path")))
                        .put("reference_image", match == null ? null : match.getValue("reference"))
                        .put("image_match", match)
                        .put("score_breakdown", f.breakdown());
                return f.toJson().put("evidence", evidence).put("reviews", new JsonArray(trail));
            });
        });
    }

    private Future<?> reviewFinding(RoutingContext ctx, Caller caller) {
        String findingId = ctx.pathParam("finding_id");
        JsonObject body = ctx.body().asJsonObject();
        ReviewStatus decision = ReviewStatus.fromWire(body.getString("decision"));
        return store.findings().get(caller.clientId(), findingId).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("finding"));
            }
            Finding f = found.get();
            return reviews.decide(caller, findingId, f.scanId(), decision, body.getString("note")).compose(done -> {
                Object seller = f.listing().getValue("seller");
                if (decision != ReviewStatus.ALLOWLIST_SELLER || !(seller instanceof String s) || s.isBlank()) {
                    return Future.succeededFuture();
                }
                // The seller goes on the brand's allowlist, so the next scan's seller bonus spares it.
                return store.scans().get(caller.clientId(), f.scanId()).compose(scan -> scan
                        .map(sc -> brands.allowSeller(caller.clientId(), sc.brandId(), s).mapEmpty())
                        .orElseGet(Future::succeededFuture));
            });
        }).compose(v -> {
            LOG.info("finding reviewed client_id={} finding_id={} decision={} by={}", caller.clientId(), findingId,
                    decision.wireName(), caller.subject());
            return findingDetail(caller, findingId);
        }).compose(detail -> json(ctx, 200, detail));
    }

    // ---- small helpers ---------------------------------------------------------------------

    /** A page as the API numbers it (from 1) and as the store skips it. */
    record Paging(int page, int offset, int limit) {
    }

    private Paging paging(RoutingContext ctx) {
        int size = Math.min(settings.pageSizeMax(), intParam(ctx, "page_size", settings.pageSize()));
        int page = Math.max(1, intParam(ctx, "page", 1));
        return new Paging(page, (int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * size), size);
    }

    private Future<?> paged(RoutingContext ctx, java.util.function.Function<Paging, Future<List<JsonObject>>> read) {
        Paging p = paging(ctx);
        return read.apply(p).compose(items -> json(ctx, 200, new JsonObject().put("items", new JsonArray(items))
                .put("page", p.page()).put("page_size", p.limit())));
    }

    private static int intParam(RoutingContext ctx, String name, int fallback) {
        String raw = ctx.queryParams().get(name);
        try {
            return raw == null ? fallback : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, name + " must be an integer");
        }
    }

    private static double doubleParam(RoutingContext ctx, String name) {
        String raw = ctx.queryParams().get(name);
        try {
            return raw == null ? 0 : Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, name + " must be a number");
        }
    }

    private static ReviewStatus statusParam(RoutingContext ctx) {
        String raw = ctx.queryParams().get("review_status");
        return raw == null ? null : ReviewStatus.fromWire(raw);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
        return ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    /** Image bytes with the type their magic bytes say; never sniffed as anything else by the browser. */
    private static Future<Void> image(RoutingContext ctx, Buffer bytes) {
        io.brandscan.storage.ContentType type = io.brandscan.storage.ContentType.sniff(bytes.getBytes(0, Math.min(64, bytes.length())));
        return ctx.response().putHeader("content-type", type.isImage() ? type.mime() : "application/octet-stream")
                .putHeader("Cache-Control", "private, max-age=300")
                // Marketplace images are untrusted content: nothing in them may run on the API's origin.
                .putHeader("Content-Security-Policy", "default-src 'none'; sandbox")
                .end(bytes);
    }

    private static Void noContentOr404(RoutingContext ctx, boolean done, String what) {
        if (!done) {
            throw ApiException.notFound(what);
        }
        ctx.response().setStatusCode(204).end();
        return null;
    }
}
