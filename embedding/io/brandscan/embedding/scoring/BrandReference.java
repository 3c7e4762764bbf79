package io.brandscan.embedding.scoring;

import io.brandscan.embedding.text.BrandTerms;
import io.brandscan.embedding.text.BrandTextProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the scorer compares a listing with, prepared once per brand and scan: the
 * signatures of the brand's reference images, its compiled text profile
 * ({@code TextScorer.profile(BrandTerms)}), reference price, authorised sellers and scoring
 * configuration. Immutable; share it across threads.
 *
 * @param brandId           the brand's id, for the breakdown and logs
 * @param images            reference images (may be empty: the image part is then 0)
 * @param text              the brand's text profile
 * @param referencePrice    {@code reference_price}; null or 0 turns the price bonus off
 * @param referenceCurrency ISO code of the reference price; null when not configured
 * @param authorisedSellers {@code authorized_sellers}; empty turns the seller bonus off
 * @param config            {@code weights} and {@code thresholds}
 */
public record BrandReference(String brandId, List<ImageSimilarity.Reference> images, BrandTextProfile text,
                             Double referencePrice, String referenceCurrency, SellerAllowlist authorisedSellers,
                             BrandScoringConfig config) {

    public BrandReference {
        Objects.requireNonNull(brandId, "brandId");
        images = List.copyOf(Objects.requireNonNull(images, "images"));
        Objects.requireNonNull(text, "text");
        if (referencePrice != null && !(referencePrice >= 0)) {
            throw new ScoringConfigException("reference_price", "must be a number >= 0, got " + referencePrice);
        }
        authorisedSellers = authorisedSellers == null ? SellerAllowlist.empty() : authorisedSellers;
        config = config == null ? BrandScoringConfig.DEFAULTS : config;
    }

    /**
     * Builds the reference from a brand document (the JSON of {@code brand.json} and of
     * {@code PUT /api/v1/brands/{id}}, as a map): {@code reference_price},
     * {@code reference_currency} (optional), {@code authorized_sellers}, {@code weights} and
     * {@code thresholds}. The images and the text profile are computed by the caller (they need
     * the models): see {@link #brandTerms(Map)} for the text.
     *
     * @throws ScoringConfigException naming the first bad field
     */
    public static BrandReference fromBrandDocument(String brandId, Map<String, ?> brand,
                                                   List<ImageSimilarity.Reference> images, BrandTextProfile text) {
        Objects.requireNonNull(brand, "brand");
        Object price = brand.get("reference_price");
        if (price != null && !(price instanceof Number)) {
            throw new ScoringConfigException("reference_price", "must be a number, got " + ConfigValues.describe(price));
        }
        Object currency = brand.get("reference_currency");
        if (currency != null && !(currency instanceof String)) {
            throw new ScoringConfigException("reference_currency", "must be a string, got " + ConfigValues.describe(currency));
        }
        return new BrandReference(brandId, images, text, price == null ? null : ((Number) price).doubleValue(),
                (String) currency, SellerAllowlist.of(strings(brand, "authorized_sellers")),
                BrandScoringConfig.fromBrand(brand));
    }

    /**
     * The brand's terms from its document: {@code names} (or {@code name} when there are no
     * names), {@code misspellings}, {@code keywords}, {@code description}.
     *
     * @throws ScoringConfigException naming the first bad field
     */
    public static BrandTerms brandTerms(Map<String, ?> brand) {
        Objects.requireNonNull(brand, "brand");
        List<String> names = strings(brand, "names");
        if (names.isEmpty() && brand.get("name") instanceof String name) {
            names = List.of(name);
        }
        Object description = brand.get("description");
        if (description != null && !(description instanceof String)) {
            throw new ScoringConfigException("description", "must be a string, got " + ConfigValues.describe(description));
        }
        try {
            return new BrandTerms(names, strings(brand, "misspellings"), strings(brand, "keywords"), (String) description);
        } catch (IllegalArgumentException e) {
            throw new ScoringConfigException("names", "must hold at least one non-blank name");
        }
    }

    /** A list of strings from a JSON array (a List, or a Vert.x JsonArray: any Iterable). */
    private static List<String> strings(Map<String, ?> brand, String key) {
        Object v = brand.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof Iterable<?> items)) {
            throw new ScoringConfigException(key, "must be an array of strings, got " + ConfigValues.describe(v));
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Object item : items) {
            if (!(item instanceof String s)) {
                throw new ScoringConfigException(key + "[" + i + "]", "must be a string, got " + ConfigValues.describe(item));
            }
            out.add(s);
            i++;
        }
        return out;
    }
}
