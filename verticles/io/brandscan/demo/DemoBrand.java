package io.brandscan.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * The built-in demo brand, "Astra Outfitters", a fictional outdoor outfitter: its names, the
 * misspellings counterfeiters use, its product lines, its four reference product photos (served
 * by the demo marketplace at {@code /reference/{n}.jpg}), its price and its authorised sellers.
 * {@link #document(String)} writes it as a brand document, the shape of {@code brand.json}.
 */
public final class DemoBrand {

    /** One of the brand's products: the bundled photo that shows it and what it is called. */
    public record Product(String photo, String name, String plainName) {
    }

    public static final String NAME = "Astra Outfitters";
    public static final List<String> NAMES = List.of("Astra Outfitters");
    public static final List<String> MISSPELLINGS = List.of("Astrra Outfitters", "Astra Outfiters", "Astra Outffiters",
            "Asstra Outfitters");
    public static final List<String> KEYWORDS = List.of("Orbit Explorer", "Rocket Camp Stove", "Basecamp Mug",
            "Trailcat Carrier");
    public static final String DESCRIPTION = "outdoor clothing, expedition suits, camping stoves, camp mugs and pet carriers";

    /** The reference products, in {@code /reference/{n}.jpg} order. */
    public static final List<Product> PRODUCTS = List.of(
            new Product("astronaut.png", "Orbit Explorer suit", "insulated expedition suit, white, one size"),
            new Product("rocket.jpg", "Rocket Camp Stove", "portable camping stove, fast boil"),
            new Product("coffee.png", "Basecamp Mug", "ceramic camp mug with saucer, 350 ml"),
            new Product("chelsea.png", "Trailcat Carrier", "cat carrier backpack, breathable"));

    public static final double REFERENCE_PRICE = 90.0;
    public static final String CURRENCY = "USD";
    public static final List<String> AUTHORIZED_SELLERS = List.of("Astra Outfitters Official", "TrailHead Outdoor Store");

    /**
     * The demo brand's {@code thresholds.bonus_floor}, above the scorer's default 0.25. Why: the
     * image score of an unrelated photo is not 0 but up to about 0.44 (a pHash distance in the
     * low 20s maps to 1 - d/39), so with the default floor every cheap listing from an unknown
     * seller, whatever its photo, had its price and seller bonuses applied and crossed 0.5: 35
     * false positives of 42 clean listings in the default demo. 0.47 keeps every clean photo of
     * the demo below it (DemoScoringTest checks all of them) while every infringing listing
     * carries far more evidence (image or text at 0.6 and above).
     */
    public static final double BONUS_FLOOR = 0.47;

    private DemoBrand() {
    }

    /** The bundled photo of reference {@code n} (0-based). */
    public static String referencePhoto(int n) {
        return PRODUCTS.get(n).photo();
    }

    /**
     * The brand document for a demo marketplace at {@code baseUrl} (for example
     * {@code http://127.0.0.1:8095}, no trailing slash needed): {@code name}, {@code names},
     * {@code misspellings}, {@code keywords}, {@code description}, {@code reference_images} (URLs on
     * the marketplace), {@code reference_price}, {@code reference_currency},
     * {@code authorized_sellers}, {@code weights}, {@code thresholds} (the scorer's defaults, written
     * out so a user sees what to tune, except {@link #BONUS_FLOOR}) and {@code provider} (a json-feed on the marketplace).
     */
    public static JsonObject document(String baseUrl) {
        String base = trimSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
        JsonArray references = new JsonArray();
        for (int n = 0; n < PRODUCTS.size(); n++) {
            references.add(base + "/reference/" + n + ".jpg");
        }
        return new JsonObject()
                .put("name", NAME)
                .put("names", new JsonArray(NAMES))
                .put("misspellings", new JsonArray(MISSPELLINGS))
                .put("keywords", new JsonArray(KEYWORDS))
                .put("description", DESCRIPTION)
                .put("reference_images", references)
                .put("reference_price", REFERENCE_PRICE)
                .put("reference_currency", CURRENCY)
                .put("authorized_sellers", new JsonArray(AUTHORIZED_SELLERS))
                .put("weights", new JsonObject().put("image", 1.0).put("text", 0.8).put("price", 0.3).put("seller", 0.2))
                .put("thresholds", new JsonObject().put("infringement", 0.5).put("price_ratio", 0.5)
                        .put("bonus_floor", BONUS_FLOOR))
                .put("provider", new JsonObject().put("type", "json-feed").put("url", base + "/feed.json"));
    }

    static String trimSlash(String base) {
        String b = base.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return b;
    }
}
