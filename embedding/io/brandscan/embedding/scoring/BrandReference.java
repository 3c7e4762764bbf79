package io.brandscan.embedding.scoring;

import io.brandscan.embedding.text.BrandTextProfile;
import java.util.List;
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
}
