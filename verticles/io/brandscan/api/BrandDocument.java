package io.brandscan.api;

import io.brandscan.embedding.scoring.BrandReference;
import io.brandscan.embedding.scoring.BrandScoringConfig;
import io.brandscan.embedding.scoring.ScoringConfigException;
import io.brandscan.pipeline.gather.ProviderChoice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The brand configuration a client PUTs, checked the way the pipeline will read it, so a brand
 * that could not be scanned is refused at once with the field named instead of failing its first
 * scan: the text terms ({@link BrandReference#brandTerms}), weights and thresholds
 * ({@link BrandScoringConfig#fromBrand}), the provider ({@link ProviderChoice#fromBrand}, plus an
 * http(s) feed url) and the reference images (http(s) URLs only: a local path would let a client
 * make the scorer read server files). The OpenAPI schema has already checked the shapes.
 */
public final class BrandDocument {
    /** The brand-owned top-level fields a PUT sets (and unsets when absent); others in the stored document are left alone. */
    public static final List<String> FIELDS = List.of("name", "names", "misspellings", "keywords", "description",
            "reference_images", "reference_price", "reference_currency", "authorized_sellers", "weights", "thresholds",
            "provider", "schedule");

    private BrandDocument() {
    }

    /** The brand's fields from a request body, or an {@link ApiException} (400) naming the first bad field. */
    public static JsonObject validate(String clientId, JsonObject body, int maxReferenceImages) {
        JsonObject brand = new JsonObject();
        for (String field : FIELDS) {
            if (body.containsKey(field) && body.getValue(field) != null) {
                brand.put(field, body.getValue(field));
            }
        }
        try {
            BrandReference.brandTerms(brand.getMap());
            BrandScoringConfig.fromBrand(brand.getMap());
        } catch (ScoringConfigException e) {
            throw ApiException.invalid(e.field(), e.getMessage());
        }
        try {
            ProviderChoice.fromBrand(brand, clientId, "scan-validation");
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "provider is invalid" : e.getMessage();
            String field = message.startsWith("brand.") ? message.substring(6).split(" ")[0] : "provider";
            throw ApiException.invalid(field, message.startsWith("brand.") ? message.substring(6) : message);
        }
        JsonObject provider = brand.getJsonObject("provider");
        if ("json-feed".equals(provider.getString("type")) && !isHttpUrl(provider.getString("url"))) {
            throw ApiException.invalid("provider.url", "provider.url must be an absolute http(s) url");
        }
        JsonArray images = brand.getJsonArray("reference_images", new JsonArray());
        if (images.size() > maxReferenceImages) {
            throw ApiException.invalid("reference_images", "reference_images has more than " + maxReferenceImages + " entries");
        }
        for (int i = 0; i < images.size(); i++) {
            if (!isHttpUrl(images.getString(i))) {
                throw ApiException.invalid("reference_images[" + i + "]",
                        "reference_images[" + i + "] must be an absolute http(s) url (upload files to /reference-images)");
            }
        }
        return brand;
    }

    static boolean isHttpUrl(String text) {
        if (text == null) {
            return false;
        }
        try {
            URI uri = URI.create(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
