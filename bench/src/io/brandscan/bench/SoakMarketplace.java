package io.brandscan.bench;

import io.brandscan.demo.DemoBrand;
import io.brandscan.demo.DemoCatalog;
import io.brandscan.demo.DemoCatalogSettings;
import io.brandscan.demo.DemoImage;
import io.brandscan.demo.DemoImages;
import io.brandscan.demo.DemoListing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's marketplace: a json-feed that hands every fetch of {@code /feed.json} the next
 * slice of demo listings, so each scan (all of a client's scans share one brand, hence one feed
 * url) gathers listings no other scan has: slice k is {@link DemoCatalog} seed {@code 1000 + k},
 * its urls under {@code /s<k>/}. The photos are the demo marketplace's, rendered once per recipe
 * (a source photo and an edit: a few hundred at most) and then served from memory, so rendering
 * is not charged to the pipeline; {@code /reference/<n>.jpg} serves the brand's reference photos.
 * It remembers, for every listing url it served, whether the listing infringes: the ground truth
 * the bench checks findings against. All maps are touched from this verticle's event loop, except
 * the truth, read by the bench thread.
 */
final class SoakMarketplace extends VerticleBase {
    private static final Pattern IMAGE = Pattern.compile("/s(\\d+)/images/(.+)\\.jpg");
    private static final Pattern REFERENCE = Pattern.compile("/reference/(\\d+)\\.jpg");

    private final int listings;
    private final int prepared;
    private final DemoImages images = new DemoImages();
    private final Map<Integer, DemoCatalog> slices = new HashMap<>();
    private final Map<DemoImage, Future<Buffer>> photos = new HashMap<>();
    private final Map<Integer, Future<Buffer>> references = new HashMap<>();
    private final Map<String, Boolean> truth = new ConcurrentHashMap<>();
    private HttpServer server;
    private String baseUrl;
    private int nextSlice;
    private long feedsServed;

    /** {@code listings} per slice; {@code prepared} slices generated and their photos rendered up front. */
    SoakMarketplace(int listings, int prepared) {
        this.listings = listings;
        this.prepared = prepared;
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer();
        return vertx.executeBlocking(() -> {
            Map<Integer, DemoCatalog> made = new HashMap<>();
            for (int k = 0; k < prepared; k++) {
                made.put(k, generate(k));
            }
            return made;
        }).compose(made -> {
            slices.putAll(made);
            Set<DemoImage> recipes = new LinkedHashSet<>();
            made.values().forEach(c -> c.listings().forEach(l -> recipes.add(l.image())));
            List<Future<Buffer>> rendering = new ArrayList<>();
            recipes.forEach(r -> rendering.add(photo(r)));
            for (int n = 0; n < DemoBrand.PRODUCTS.size(); n++) {
                rendering.add(reference(n));
            }
            return Future.all(rendering);
        }).compose(rendered -> server.requestHandler(this::handle).listen(0, "127.0.0.1"))
                .onSuccess(s -> baseUrl = "http://127.0.0.1:" + s.actualPort());
    }

    String baseUrl() {
        return baseUrl;
    }

    String hostAndPort() {
        return "127.0.0.1:" + server.actualPort();
    }

    /** Whether the listing at {@code url} infringes, or null for a url this marketplace never served. */
    Boolean infringing(String url) {
        return truth.get(url);
    }

    /** The brand document a client registers: the demo brand, its feed and photos served here. */
    JsonObject brandDocument() {
        return DemoBrand.document(baseUrl).put("schedule", new JsonObject().put("type", "manual"));
    }

    private DemoCatalog generate(int slice) {
        return DemoCatalog.generate(new DemoCatalogSettings(1000L + slice, listings,
                DemoCatalogSettings.DEFAULT_INFRINGING_SHARE));
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.equals("/feed.json")) {
            feed(req);
            return;
        }
        Matcher image = IMAGE.matcher(path);
        if (image.matches()) {
            DemoCatalog slice = slices.get(Integer.parseInt(image.group(1)));
            DemoListing listing = slice == null ? null : slice.byId(image.group(2)).orElse(null);
            if (listing == null) {
                notFound(req);
                return;
            }
            jpeg(req, photo(listing.image()));
            return;
        }
        Matcher reference = REFERENCE.matcher(path);
        if (reference.matches() && Integer.parseInt(reference.group(1)) < DemoBrand.PRODUCTS.size()) {
            jpeg(req, reference(Integer.parseInt(reference.group(1))));
            return;
        }
        notFound(req);
    }

    /** The next slice nobody has had; a slice beyond those prepared is generated on the spot. */
    private void feed(HttpServerRequest req) {
        int k = nextSlice++;
        feedsServed++;
        Future<DemoCatalog> slice = slices.containsKey(k) ? Future.succeededFuture(slices.get(k))
                : vertx.executeBlocking(() -> generate(k)).onSuccess(c -> slices.put(k, c));
        slice.onSuccess(catalog -> {
            JsonArray out = new JsonArray();
            for (DemoListing l : catalog.listings()) {
                String url = baseUrl + "/s" + k + "/listing/" + l.id();
                truth.put(url, l.infringing());
                out.add(new JsonObject().put("url", url).put("title", l.title()).put("price", l.price())
                        .put("currency", l.currency()).put("seller", l.seller())
                        .put("image_url", baseUrl + "/s" + k + "/images/" + l.id() + ".jpg"));
            }
            req.response().putHeader("content-type", "application/json").end(out.encode());
        }).onFailure(e -> req.response().setStatusCode(500).end(String.valueOf(e)));
    }

    long feedsServed() {
        return feedsServed;
    }

    private Future<Buffer> photo(DemoImage recipe) {
        return photos.computeIfAbsent(recipe, r -> vertx.executeBlocking(() -> Buffer.buffer(images.render(r)), false));
    }

    private Future<Buffer> reference(int n) {
        return references.computeIfAbsent(n, i -> vertx.executeBlocking(() -> Buffer.buffer(images.reference(i)), false));
    }

    private static void jpeg(HttpServerRequest req, Future<Buffer> bytes) {
        bytes.onSuccess(b -> req.response().putHeader("content-type", "image/jpeg").end(b))
                .onFailure(e -> req.response().setStatusCode(500).end(String.valueOf(e)));
    }

    private static void notFound(HttpServerRequest req) {
        req.response().setStatusCode(404).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", "not_found").put("message", req.path()).encode());
    }
}
