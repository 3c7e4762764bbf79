package io.brandscan.embedding.scoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How much each signal may say about a listing, from a brand's {@code weights} object. Each
 * weight is the most infringement probability that signal can give on its own (0..1), not a
 * share of a total: image and text are independent pieces of evidence and are combined as such
 * (see {@link InfringementScorer}); a bonus weight is the share of the remaining doubt that a fired
 * bonus removes.
 *
 * @param image  {@code image}: weight of {@code image_score} (default 1.0: a copied product photo
 *               alone, at its match line 0.5, reaches the default infringement threshold)
 * @param text   {@code text}: weight of the text score (default 0.8: a clear brand name in the
 *               title alone flags the listing, a weak look-alike needs more evidence)
 * @param price  {@code price}: weight of the price bonus (default 0.3)
 * @param seller {@code seller}: weight of the unauthorised-seller bonus (default 0.2)
 */
public record ScoringWeights(double image, double text, double price, double seller) {

    public static final ScoringWeights DEFAULTS = new ScoringWeights(1.0, 0.8, 0.3, 0.2);

    static final String SECTION = "weights";
    private static final Set<String> KEYS = Set.of("image", "text", "price", "seller");

    public ScoringWeights {
        check("image", image);
        check("text", text);
        check("price", price);
        check("seller", seller);
        if (image == 0 && text == 0) {
            throw new ScoringConfigException(SECTION + ".image", "and " + SECTION + ".text cannot both be 0:"
                    + " bonuses only raise a listing that image or text already made suspicious");
        }
    }

    /** From a brand's {@code weights} object (a map; null means all defaults). */
    public static ScoringWeights fromConfig(Map<String, ?> conf) {
        if (conf == null) {
            return DEFAULTS;
        }
        refuseUnknown(conf, KEYS, SECTION);
        ScoringWeights d = DEFAULTS;
        return new ScoringWeights(
                ConfigValues.number(conf, "image", d.image, SECTION),
                ConfigValues.number(conf, "text", d.text, SECTION),
                ConfigValues.number(conf, "price", d.price, SECTION),
                ConfigValues.number(conf, "seller", d.seller, SECTION));
    }

    /** The snake_case configuration form that {@link #fromConfig} reads back. */
    public Map<String, Object> toConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image", image);
        m.put("text", text);
        m.put("price", price);
        m.put("seller", seller);
        return m;
    }

    private static void check(String key, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new ScoringConfigException(SECTION + "." + key, "must be in 0..1, got " + v);
        }
    }

    static void refuseUnknown(Map<String, ?> conf, Set<String> known, String section) {
        for (String key : conf.keySet()) {
            if (!known.contains(key)) {
                throw new ScoringConfigException(section + "." + key, "is not a known key; known keys are "
                        + new TreeSet<>(known));
            }
        }
    }
}
