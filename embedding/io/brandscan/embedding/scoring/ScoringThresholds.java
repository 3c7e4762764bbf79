package io.brandscan.embedding.scoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The lines a brand draws, from its {@code thresholds} object.
 *
 * @param infringement {@code infringement}: probability at or above which a listing is reported
 *                     as infringing (default 0.5)
 * @param priceRatio   {@code price_ratio}: the price bonus fires when the listing's price is
 *                     below this fraction of the brand's {@code reference_price} (default 0.5,
 *                     i.e. under half price); 0 turns the bonus off
 * @param bonusFloor   {@code bonus_floor}: image and text evidence needed before any bonus
 *                     counts (default 0.25); a cheap listing by an unknown seller that looks and
 *                     reads like nothing of the brand stays a cheap listing
 */
public record ScoringThresholds(double infringement, double priceRatio, double bonusFloor) {

    public static final ScoringThresholds DEFAULTS = new ScoringThresholds(0.5, 0.5, 0.25);

    static final String SECTION = "thresholds";
    private static final Set<String> KEYS = Set.of("infringement", "price_ratio", "bonus_floor");

    public ScoringThresholds {
        if (!(infringement > 0 && infringement <= 1)) {
            throw new ScoringConfigException(SECTION + ".infringement", "must be in (0, 1], got " + infringement);
        }
        if (!(priceRatio >= 0 && priceRatio <= 1)) {
            throw new ScoringConfigException(SECTION + ".price_ratio", "must be in 0..1, got " + priceRatio);
        }
        if (!(bonusFloor >= 0 && bonusFloor <= 1)) {
            throw new ScoringConfigException(SECTION + ".bonus_floor", "must be in 0..1, got " + bonusFloor);
        }
    }

    /** From a brand's {@code thresholds} object (a map; null means all defaults). */
    public static ScoringThresholds fromConfig(Map<String, ?> conf) {
        if (conf == null) {
            return DEFAULTS;
        }
        ScoringWeights.refuseUnknown(conf, KEYS, SECTION);
        ScoringThresholds d = DEFAULTS;
        return new ScoringThresholds(
                ConfigValues.number(conf, "infringement", d.infringement, SECTION),
                ConfigValues.number(conf, "price_ratio", d.priceRatio, SECTION),
                ConfigValues.number(conf, "bonus_floor", d.bonusFloor, SECTION));
    }

    /** The snake_case configuration form that {@link #fromConfig} reads back. */
    public Map<String, Object> toConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("infringement", infringement);
        m.put("price_ratio", priceRatio);
        m.put("bonus_floor", bonusFloor);
        return m;
    }
}
