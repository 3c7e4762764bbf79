package io.brandscan.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in demo marketplace: serves a {@link DemoCatalog} over HTTP the way a real
 * marketplace and a json-feed would, for {@code brandscan demo}, tests and benchmarks.
 *
 * <ul>
 *   <li>{@code GET /feed.json}: the listings as a json-feed, {@code [{"url","title","price",
 *       "currency","seller","image_url"}]}; with {@code page_size} set,
 *       {@code {"listings":[...],"next":url|null}} pages ({@code ?page=N}, from 1).</li>
 *   <li>{@code GET /listing/{id}}: a small HTML page for the listing.</li>
 *   <li>{@code GET /images/{id}.jpg}: the listing's photo; {@code GET /reference/{n}.jpg}: the
 *       brand's reference photo n. Rendered on a worker pool, never the event loop, once per
 *       photo while it stays in a bounded LRU cache; concurrent requests for one photo share one
 *       render; past {@code max_pending_renders} the answer is 503 with Retry-After.</li>
 *   <li>{@code GET /brand.json}: {@link DemoBrand#document} for this marketplace.</li>
 *   <li>{@code GET /truth.json}: the ground truth (which listings infringe, what was done to
 *       each), for tests and benchmarks; a real marketplace has no such page.</li>
 * </ul>
 * Errors are {@code {"error","message"}} JSON with 404 for unknown ids and paths. All state (the
 * cache, the pending renders) is owned by this verticle's event loop; deploy one instance.
 */
public final class DemoMarketplaceVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(DemoMarketplaceVerticle.class);
    private static final String JSON = "application/json";
    /** Name of the shared worker pool photos render on ({@code render_workers} threads). */
    public static final String RENDER_POOL = "brandscan-demo-render";

    private DemoMarketplaceSettings settings;
    private DemoCatalog catalog;
    private DemoImages images;
    private WorkerExecutor renderers;
    private HttpServer server;
    private String baseUrl;
    private Map<String, Buffer> cache;
    private final Map<String, Future<Buffer>> rendering = new HashMap<>();
    private long renders;

    @Override
    public Future<?> start() {
        try {
            settings = DemoMarketplaceSettings.fromJson(config());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        int cacheEntries = settings.imageCacheEntries();
        cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Buffer> eldest) {
                return size() > cacheEntries;
            }
        };
        renderers = vertx.createSharedWorkerExecutor(RENDER_POOL, settings.renderWorkers());
        server = vertx.createHttpServer();
        // Generating a big catalog and ImageIO's first plugin scan take a while: not on the event loop.
        return vertx.executeBlocking(() -> {
            DemoImages rendering = new DemoImages();
            rendering.source(DemoBrand.referencePhoto(0));
            return new Prepared(DemoCatalog.generate(settings.catalog()), rendering);
        }).compose(prepared -> {
            catalog = prepared.catalog();
            images = prepared.images();
            return server.requestHandler(router()).listen(settings.port(), settings.host());
        }).onSuccess(s -> {
            String host = settings.host().equals("0.0.0.0") ? "127.0.0.1"
                    : settings.host().equals("::") ? "[::1]" : settings.host().contains(":") ? "[" + settings.host() + "]"
                    : settings.host();
            baseUrl = settings.publicUrl() != null ? settings.publicUrl() : "http://" + host + ":" + s.actualPort();
            LOG.info("demo marketplace for {} on {}: {} listings, {} infringing (seed {})", DemoBrand.NAME, baseUrl,
                    catalog.size(), settings.catalog().infringingCount(), settings.catalog().seed());
        });
    }

    private record Prepared(DemoCatalog catalog, DemoImages images) {
    }

    @Override
    public Future<?> stop() {
        return renderers == null ? Future.succeededFuture() : renderers.close();
    }

    /** The bound port (useful with port 0). */
    public int actualPort() {
        return server.actualPort();
    }

    /** {@code http://host:port} of this marketplace, the base of every URL in its feed. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The catalog served (ground truth included). */
    public DemoCatalog catalog() {
        return catalog;
    }

    /** The brand document for this marketplace ({@link DemoBrand#document} at {@link #baseUrl()}). */
    public JsonObject brandDocument() {
        return DemoBrand.document(baseUrl);
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.get("/").handler(this::index);
        router.get("/feed.json").handler(this::feed);
        router.get("/truth.json").handler(this::truth);
        router.get("/brand.json").handler(ctx -> json(ctx, 200, brandDocument()));
        router.get("/listing/:id").handler(this::listingPage);
        router.get("/images/:file").handler(this::listingPhoto);
        router.get("/reference/:file").handler(this::referencePhoto);
        router.route().failureHandler(this::failure);
        router.errorHandler(404, ctx -> error(ctx, 404, "not_found", "no such page: " + ctx.request().path()));
        router.errorHandler(405, ctx -> error(ctx, 405, "method_not_allowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
        return router;
    }

    private void feed(RoutingContext ctx) {
        if (settings.pageSize() == 0) {
            json(ctx, 200, listingsJson(catalog.listings()));
            return;
        }
        String raw = ctx.queryParams().get("page");
        int page;
        try {
            page = raw == null ? 1 : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            page = -1;
        }
        int pages = Math.max(1, (catalog.size() + settings.pageSize() - 1) / settings.pageSize());
        if (page < 1 || page > pages) {
            error(ctx, 404, "not_found", "no feed page '" + raw + "'; pages are 1.." + pages);
            return;
        }
        List<DemoListing> slice = catalog.page((page - 1) * settings.pageSize(), settings.pageSize());
        json(ctx, 200, new JsonObject().put("listings", listingsJson(slice))
                .put("next", page < pages ? baseUrl + "/feed.json?page=" + (page + 1) : null));
    }

    private JsonArray listingsJson(List<DemoListing> listings) {
        JsonArray out = new JsonArray();
        for (DemoListing l : listings) {
            out.add(new JsonObject()
                    .put("url", listingUrl(l))
                    .put("title", l.title())
                    .put("price", l.price())
                    .put("currency", l.currency())
                    .put("seller", l.seller())
                    .put("image_url", imageUrl(l)));
        }
        return out;
    }

    private void truth(RoutingContext ctx) {
        JsonArray listings = new JsonArray();
        int infringing = 0;
        for (DemoListing l : catalog.listings()) {
            infringing += l.infringing() ? 1 : 0;
            listings.add(new JsonObject()
                    .put("id", l.id())
                    .put("url", listingUrl(l))
                    .put("image_url", imageUrl(l))
                    .put("infringing", l.infringing())
                    .put("trick", l.trick())
                    .put("reference", l.infringing() ? baseUrl + "/reference/" + l.reference() + ".jpg" : null)
                    .put("source", l.image().source())
                    .put("edit", l.image().edit().label()));
        }
        json(ctx, 200, new JsonObject()
                .put("brand", DemoBrand.NAME)
                .put("seed", settings.catalog().seed())
                .put("size", catalog.size())
                .put("infringing", infringing)
                .put("listings", listings));
    }

    private void listingPage(RoutingContext ctx) {
        DemoListing l = catalog.byId(ctx.pathParam("id")).orElse(null);
        if (l == null) {
            error(ctx, 404, "not_found", "no listing " + ctx.pathParam("id"));
            return;
        }
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(l.title())
                + "</title></head><body><h1>" + escape(l.title()) + "</h1>"
                + "<img src=\"/images/" + l.id() + ".jpg\" alt=\"product photo\" style=\"max-width:480px\">"
                + "<p class=\"price\">" + l.price().toPlainString() + " " + l.currency() + "</p>"
                + "<p class=\"seller\">Sold by " + escape(l.seller()) + "</p>"
                + "<p><a href=\"/\">All listings</a></p></body></html>";
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").end(html);
    }

    private void index(RoutingContext ctx) {
        StringBuilder b = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Demo marketplace"
                + "</title></head><body><h1>Demo marketplace</h1><p>" + catalog.size() + " listings. Feed: <a href=\"/feed.json\">"
                + "/feed.json</a>, brand: <a href=\"/brand.json\">/brand.json</a>.</p><ul>");
        for (DemoListing l : catalog.page(0, 200)) {
            b.append("<li><a href=\"/listing/").append(l.id()).append("\">").append(escape(l.title())).append("</a></li>");
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .end(b.append("</ul></body></html>").toString());
    }

    private void listingPhoto(RoutingContext ctx) {
        String id = jpegName(ctx.pathParam("file"));
        DemoListing l = id == null ? null : catalog.byId(id).orElse(null);
        if (l == null) {
            error(ctx, 404, "not_found", "no photo " + ctx.pathParam("file"));
            return;
        }
        photo(ctx, "listing/" + id, () -> images.render(l.image()));
    }

    private void referencePhoto(RoutingContext ctx) {
        String name = jpegName(ctx.pathParam("file"));
        int n = name != null && name.matches("[0-9]{1,3}") ? Integer.parseInt(name) : -1;
        if (n < 0 || n >= DemoBrand.PRODUCTS.size()) {
            error(ctx, 404, "not_found", "no reference photo " + ctx.pathParam("file") + "; there are "
                    + DemoBrand.PRODUCTS.size() + " (0.." + (DemoBrand.PRODUCTS.size() - 1) + ")");
            return;
        }
        photo(ctx, "reference/" + n, () -> images.reference(n));
    }

    /** Serves a photo from the cache, joining a render in progress or starting one on the worker pool. */
    private void photo(RoutingContext ctx, String key, Supplier<byte[]> render) {
        Buffer cached = cache.get(key);
        if (cached != null) {
            jpeg(ctx, cached);
            return;
        }
        Future<Buffer> pending = rendering.get(key);
        if (pending == null) {
            if (rendering.size() >= settings.maxPendingRenders()) {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                error(ctx, 503, "busy", rendering.size() + " photos are being rendered (max_pending_renders); retry shortly");
                return;
            }
            // ordered=false: photos render in parallel across the pool
            pending = renderers.executeBlocking(() -> Buffer.buffer(render.get()), false)
                    .andThen(ar -> {
                        rendering.remove(key);
                        if (ar.succeeded()) {
                            renders++;
                            cache.put(key, ar.result());
                        }
                    });
            rendering.put(key, pending);
        }
        pending.onSuccess(bytes -> jpeg(ctx, bytes)).onFailure(ctx::fail);
    }

    /** How many photos were rendered so far (a cached photo is rendered once). */
    long renders() {
        return renders;
    }

    private static String jpegName(String file) {
        return file != null && file.endsWith(".jpg") && file.length() > 4 ? file.substring(0, file.length() - 4) : null;
    }

    private String listingUrl(DemoListing l) {
        return baseUrl + "/listing/" + l.id();
    }

    private String imageUrl(DemoListing l) {
        return baseUrl + "/images/" + l.id() + ".jpg";
    }

    private void failure(RoutingContext ctx) {
        if (ctx.failure() == null && ctx.statusCode() == 404) {
            error(ctx, 404, "not_found", "no such page: " + ctx.request().path());
            return;
        }
        LOG.error("demo marketplace request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        error(ctx, 500, "internal", "internal error");
    }

    private static void jpeg(RoutingContext ctx, Buffer bytes) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "image/jpeg")
                .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=3600").end(bytes);
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        String text = body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(text);
    }

    private static void error(RoutingContext ctx, int status, String code, String message) {
        json(ctx, status, new JsonObject().put("error", code).put("message", message));
    }

    private static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
