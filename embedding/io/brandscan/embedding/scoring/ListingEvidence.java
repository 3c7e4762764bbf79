package io.brandscan.embedding.scoring;

import java.util.Objects;

/**
 * What the scorer knows about one marketplace listing. Unknown parts are null: a listing whose
 * image failed to download still has a title, a price may be missing.
 *
 * @param title    the listing's title (may be empty, not null)
 * @param price    the listed price, in the brand's reference currency; null when unknown
 * @param currency ISO code of {@code price}, or null when unknown; when both it and the brand's
 *                 currency are known and differ, the price bonus does not fire
 * @param seller   the seller's name as the marketplace shows it; null when unknown
 * @param image    the signature of the listing's main image; null when there is none
 */
public record ListingEvidence(String title, Double price, String currency, String seller, ImageSignature image) {

    public ListingEvidence {
        Objects.requireNonNull(title, "title");
        if (price != null && !(price >= 0) ) {
            throw new IllegalArgumentException("price must be a number >= 0, got " + price);
        }
    }
}
