package io.brandscan.embedding.scoring;

import io.brandscan.embedding.scoring.InfringementScore.Bonus;
import io.brandscan.embedding.scoring.InfringementScore.BonusPart;
import io.brandscan.embedding.scoring.InfringementScore.ImagePart;
import io.brandscan.embedding.scoring.InfringementScore.TextPart;
import io.brandscan.embedding.text.TextScore;
import io.brandscan.embedding.text.TextScorer;
import io.brandscan.embedding.text.TitleScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns the signals about one listing into an infringement probability for one brand, with a
 * breakdown of every part ({@link InfringementScore}).
 *
 * <h2>The combination, and why it is shaped so</h2>
 * <pre>
 *   image    = weights.image * sigmoid((image_score - 0.5) / 0.025)
 *                                                  (image_score: best match over all reference images)
 *   text     = weights.text  * text_score
 *   evidence = 1 - (1 - image) * (1 - text)
 *   p        = evidence
 *   for each bonus that fires, if evidence >= thresholds.bonus_floor:
 *       p = 1 - (1 - p) * (1 - weights.bonus)
 *   infringing = p >= thresholds.infringement
 * </pre>
 * <ul>
 *   <li><b>Image and text are strong, independent evidence.</b> A stolen product photo is enough
 *       on its own; so is the brand's name in the title. A weighted mean would dilute one with
 *       the other: a perfect photo copy under a neutral title would score half. The "noisy-or"
 *       above lets each signal alone reach its own weight, and two agreeing signals push the
 *       probability higher than either, as independent evidence should. A weight is therefore
 *       the most probability that signal can give on its own, not a share of a total.</li>
 *   <li><b>Bonuses only raise an already suspicious listing.</b> A low price or an unknown
 *       seller is common on any marketplace and says nothing about a brand by itself; next to a
 *       look-alike photo or name it is what counterfeits look like. So bonuses count only when
 *       image and text evidence reach {@code bonus_floor}, and each removes a share
 *       ({@code weights.price}, {@code weights.seller}) of the remaining doubt: they can tip a
 *       borderline listing over the threshold but never reach 1, and never create suspicion.</li>
 *   <li><b>An image is evidence only near or above its match line.</b> {@code image_score} is a
 *       similarity whose calibrated match line is 0.5; unrelated photos still score 0.2 to 0.49
 *       on it. Used directly, any photo would give a cheap listing from an unknown seller enough
 *       evidence for the bonuses to flag it. A steep logistic around the match line turns the
 *       similarity into evidence: 0.5 stays 0.5, 0.44 gives 0.08, 0.55 gives 0.88.</li>
 *   <li><b>Missing data is not evidence.</b> No listing image, no reference images, no price, no
 *       configured sellers: the part is 0 or the bonus does not fire, and the breakdown says why.</li>
 * </ul>
 * With the defaults (image 1.0, text 0.8, threshold 0.5) an image at its match line (0.5) alone
 * flags a listing, a clear brand name alone (text score 0.8 or more) flags it, and a weak
 * look-alike name (text 0.55) needs a bonus or an image to cross the line.
 *
 * <p>Threading: {@link #combine} is pure arithmetic. {@link #score} and {@link #scoreAll} call the
 * {@link TextScorer}, which runs sentence-embedding inference when embeddings are on: call them on
 * a worker thread, never on an event loop. Thread-safe.
 */
public final class InfringementScorer {

    private final TextScorer textScorer;
    /** Width of the logistic that turns image similarity into evidence around the match line. */
    static final double IMAGE_EVIDENCE_STEEPNESS = 0.025;

    private final ImageSimilarity images;

    public InfringementScorer(TextScorer textScorer, ImageSimilarity images) {
        this.textScorer = Objects.requireNonNull(textScorer, "textScorer");
        this.images = Objects.requireNonNull(images, "images");
    }

    public TextScorer textScorer() {
        return textScorer;
    }

    public ImageSimilarity images() {
        return images;
    }

    /** Scores one listing (blocking when text embeddings are on). */
    public InfringementScore score(ListingEvidence listing, BrandReference brand) {
        Objects.requireNonNull(listing, "listing");
        return combine(listing, brand, textScorer.score(listing.title(), brand.text()));
    }

    /** Scores listings of one brand, their titles embedded in batches (blocking when embeddings are on). */
    public List<InfringementScore> scoreAll(List<ListingEvidence> listings, BrandReference brand) {
        Objects.requireNonNull(listings, "listings");
        Objects.requireNonNull(brand, "brand");
        return combineAll(listings, brand,
                textScorer.scoreAll(listings.stream().map(ListingEvidence::title).toList(), brand.text()));
    }

    /**
     * Scores listings of one brand, each title scored once across calls: {@code titles} keeps the
     * text scores (its brand must be {@code brand}'s text profile). Blocking when embeddings are on.
     */
    public List<InfringementScore> scoreAll(List<ListingEvidence> listings, BrandReference brand, TitleScores titles) {
        Objects.requireNonNull(listings, "listings");
        Objects.requireNonNull(brand, "brand");
        if (titles.brand() != brand.text()) {
            throw new IllegalArgumentException("the title scores are for another brand profile");
        }
        return combineAll(listings, brand,
                textScorer.scoreAll(listings.stream().map(ListingEvidence::title).toList(), titles));
    }

    private List<InfringementScore> combineAll(List<ListingEvidence> listings, BrandReference brand,
                                               List<TextScore> texts) {
        List<InfringementScore> out = new ArrayList<>(listings.size());
        for (int i = 0; i < listings.size(); i++) {
            out.add(combine(listings.get(i), brand, texts.get(i)));
        }
        return out;
    }

    /** The combination itself, given an already computed text score. Pure; never blocks. */
    public InfringementScore combine(ListingEvidence listing, BrandReference brand, TextScore text) {
        Objects.requireNonNull(listing, "listing");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(text, "text");
        ScoringWeights w = brand.config().weights();
        ScoringThresholds t = brand.config().thresholds();

        ImagePart image = imagePart(listing, brand, w.image());
        TextPart textPart = new TextPart(text, w.text(), w.text() * clamp(text.score()));
        double evidence = 1 - (1 - image.contribution()) * (1 - textPart.contribution());

        boolean suspicious = evidence >= t.bonusFloor();
        double p = evidence;
        List<BonusPart> bonuses = new ArrayList<>(2);
        for (BonusPart condition : List.of(priceCondition(listing, brand, w.price(), t.priceRatio()),
                sellerCondition(listing, brand, w.seller()))) {
            if (condition.fired() && suspicious && condition.weight() > 0) {
                double raised = 1 - (1 - p) * (1 - condition.weight());
                bonuses.add(new BonusPart(condition.bonus(), true, true, condition.weight(), raised - p,
                        condition.detail()));
                p = raised;
            } else {
                String detail = condition.fired() && !suspicious
                        ? condition.detail() + String.format(Locale.ROOT,
                        "; not applied: image and text evidence %.3f is below bonus_floor %.3f", evidence, t.bonusFloor())
                        : condition.detail();
                bonuses.add(new BonusPart(condition.bonus(), condition.fired(), false, condition.weight(), 0.0, detail));
            }
        }
        double probability = clamp(p);
        return new InfringementScore(brand.brandId(), probability, probability >= t.infringement(), t.infringement(),
                evidence, image, textPart, bonuses, brand.config());
    }

    private ImagePart imagePart(ListingEvidence listing, BrandReference brand, double weight) {
        if (listing.image() == null) {
            return new ImagePart(null, 0.0, weight, 0.0, "the listing has no usable image");
        }
        if (brand.images().isEmpty()) {
            return new ImagePart(null, 0.0, weight, 0.0, "the brand has no reference images");
        }
        ImageMatch best = images.best(brand.images(), listing.image());
        return new ImagePart(best, best.score(), weight, weight * imageEvidence(best.score()), null);
    }

    /** How much a similarity on {@code image_score}'s scale says "same photo": see the class notes. */
    static double imageEvidence(double imageScore) {
        return 1 / (1 + Math.exp(-(imageScore - ImageSimilarity.MATCH_SCORE) / IMAGE_EVIDENCE_STEEPNESS));
    }

    private static BonusPart priceCondition(ListingEvidence listing, BrandReference brand, double weight, double ratio) {
        Bonus b = Bonus.PRICE_BELOW_REFERENCE;
        Double ref = brand.referencePrice();
        if (ref == null || ref <= 0) {
            return new BonusPart(b, false, false, weight, 0, "no reference_price configured");
        }
        if (ratio <= 0) {
            return new BonusPart(b, false, false, weight, 0, "price_ratio is 0: price bonus off");
        }
        if (listing.price() == null) {
            return new BonusPart(b, false, false, weight, 0, "the listing has no price");
        }
        if (listing.currency() != null && brand.referenceCurrency() != null
                && !listing.currency().equalsIgnoreCase(brand.referenceCurrency())) {
            return new BonusPart(b, false, false, weight, 0, "price in " + listing.currency()
                    + ", reference price in " + brand.referenceCurrency() + ": not compared");
        }
        double line = ratio * ref;
        boolean fired = listing.price() < line;
        return new BonusPart(b, fired, false, weight, 0, String.format(Locale.ROOT,
                "price %.2f is %s %.2f (price_ratio %.2f x reference_price %.2f)", listing.price(),
                fired ? "below" : "not below", line, ratio, ref));
    }

    private static BonusPart sellerCondition(ListingEvidence listing, BrandReference brand, double weight) {
        Bonus b = Bonus.UNAUTHORISED_SELLER;
        if (brand.authorisedSellers().isEmpty()) {
            return new BonusPart(b, false, false, weight, 0, "no authorized_sellers configured");
        }
        if (listing.seller() == null || listing.seller().isBlank()) {
            return new BonusPart(b, false, false, weight, 0, "the listing names no seller");
        }
        boolean allowed = brand.authorisedSellers().allows(listing.seller());
        return new BonusPart(b, !allowed, false, weight, 0, "seller '" + listing.seller() + "' is "
                + (allowed ? "" : "not ") + "on the " + brand.authorisedSellers().size() + " authorized_sellers");
    }

    private static double clamp(double v) {
        return Math.max(0.0, Math.min(1.0, v));
    }
}
