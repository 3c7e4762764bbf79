package io.brandscan.embedding.scoring;

import java.util.Map;
import java.util.Objects;

/**
 * A brand's scoring configuration: its {@code weights} and {@code thresholds}, each key with a
 * default, validated when built. Errors are {@link ScoringConfigException}s naming the field as
 * a JSON path ({@code thresholds.price_ratio}), unknown keys included (a misspelt key would
 * otherwise silently keep its default).
 */
public record BrandScoringConfig(ScoringWeights weights, ScoringThresholds thresholds) {

    public static final BrandScoringConfig DEFAULTS = new BrandScoringConfig(ScoringWeights.DEFAULTS,
            ScoringThresholds.DEFAULTS);

    public BrandScoringConfig {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(thresholds, "thresholds");
    }

    /**
     * Reads {@code weights} and {@code thresholds} from a brand document (a Vert.x
     * {@code JsonObject.getMap()} works; nested objects may arrive as maps or as JsonObjects,
     * anything with {@code getMap()}); other keys of the document are ignored.
     */
    public static BrandScoringConfig fromBrand(Map<String, ?> brand) {
        Objects.requireNonNull(brand, "brand");
        return new BrandScoringConfig(
                ScoringWeights.fromConfig(section(brand, ScoringWeights.SECTION)),
                ScoringThresholds.fromConfig(section(brand, ScoringThresholds.SECTION)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> section(Map<String, ?> brand, String key) {
        Object v = brand.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            return (Map<String, ?>) m;
        }
        // A Vert.x JsonObject nested inside a map: read it without importing Vert.x here.
        try {
            Object map = v.getClass().getMethod("getMap").invoke(v);
            if (map instanceof Map<?, ?> m) {
                return (Map<String, ?>) m;
            }
        } catch (ReflectiveOperationException ignored) {
            // not a JSON object: reported below
        }
        throw new ScoringConfigException(key, "must be an object, got " + ConfigValues.describe(v));
    }
}
