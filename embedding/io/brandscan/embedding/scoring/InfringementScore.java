package io.brandscan.embedding.scoring;

import io.brandscan.embedding.text.TextScore;
import java.util.List;
import java.util.Objects;

/**
 * The scorer's answer for one listing and one brand: the infringement probability, the verdict
 * against the brand's threshold, and a breakdown of every part so that a reviewer can see why
 * ({@link ScoreJson#toJson} gives the stored and displayed form).
 *
 * @param brandId      the brand scored against
 * @param probability  infringement probability, 0..1
 * @param infringing   {@code probability >= threshold}
 * @param threshold    the brand's {@code thresholds.infringement}
 * @param evidence     image and text combined, before bonuses, 0..1
 * @param image        the image part
 * @param text         the text part
 * @param bonuses      every bonus, fired or not, in a fixed order (price, seller)
 * @param config       the weights and thresholds used
 */
public record InfringementScore(String brandId, double probability, boolean infringing, double threshold,
                                double evidence, ImagePart image, TextPart text, List<BonusPart> bonuses,
                                BrandScoringConfig config) {

    public InfringementScore {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(text, "text");
        bonuses = List.copyOf(bonuses);
        Objects.requireNonNull(config, "config");
    }

    /**
     * The image signal.
     *
     * @param match        the best match over the brand's reference images (which one, and every
     *                     part of image_score); null when there was nothing to compare
     * @param score        {@code image_score} of that match, 0 when none
     * @param weight       {@code weights.image}
     * @param contribution {@code weight * score}: what the image alone makes of the probability
     * @param note         why there is no match (no listing image, no reference images); null otherwise
     */
    public record ImagePart(ImageMatch match, double score, double weight, double contribution, String note) {
    }

    /**
     * The text signal.
     *
     * @param score        the combined text score, 0..1 (the rule, brand term, span and folds are in it)
     * @param weight       {@code weights.text}
     * @param contribution {@code weight * score.score()}
     */
    public record TextPart(TextScore score, double weight, double contribution) {
    }

    /** The bonus signals. */
    public enum Bonus {
        /** The listing's price is far below the brand's reference price. */
        PRICE_BELOW_REFERENCE("price_below_reference"),
        /** The seller is not on the brand's authorised-seller list. */
        UNAUTHORISED_SELLER("unauthorised_seller");

        private final String key;

        Bonus(String key) {
            this.key = key;
        }

        /** Stable snake_case name for JSON and metrics. */
        public String key() {
            return key;
        }
    }

    /**
     * One bonus.
     *
     * @param bonus        which
     * @param fired        its condition holds (price under the line, seller not authorised)
     * @param applied      it fired and the image/text evidence reached {@code bonus_floor}, so
     *                     it raised the probability
     * @param weight       {@code weights.price} or {@code weights.seller}
     * @param contribution how much it raised the probability (0 unless applied)
     * @param detail       the reason, in words, fired or not
     */
    public record BonusPart(Bonus bonus, boolean fired, boolean applied, double weight, double contribution,
                            String detail) {
    }

    /** The bonuses that raised the probability. */
    public List<Bonus> appliedBonuses() {
        return bonuses.stream().filter(BonusPart::applied).map(BonusPart::bonus).toList();
    }
}
