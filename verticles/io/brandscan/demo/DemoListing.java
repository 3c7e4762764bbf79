package io.brandscan.demo;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One listing of the demo marketplace with its ground truth. The feed shows only the marketplace
 * part (title, price, currency, seller, photo); {@code infringing}, {@code trick} and
 * {@code image} are what the generator did, kept server-side (served only by
 * {@code /truth.json}) so tests and benchmarks can measure recall and precision.
 *
 * @param id         stable id within a catalog: {@code /listing/{id}} and {@code /images/{id}.jpg}
 * @param infringing ground truth: a near-copy of a brand reference photo under a look-alike title
 * @param trick      how the title was made (for example {@code homoglyph}, {@code leetspeak},
 *                   {@code replica}, {@code neutral} for a stolen photo under a plain title, and
 *                   {@code plain} or {@code competitor} for clean listings)
 * @param reference  for an infringing listing, the index of the brand reference photo it copies
 *                   ({@code /reference/{n}.jpg}); -1 for a clean listing
 */
public record DemoListing(String id, String title, BigDecimal price, String currency, String seller, DemoImage image,
                          boolean infringing, String trick, int reference) {
    public DemoListing {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(seller, "seller");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(trick, "trick");
        if (infringing != reference >= 0) {
            throw new IllegalArgumentException("an infringing listing copies a reference photo, a clean one none: "
                    + id + " infringing=" + infringing + " reference=" + reference);
        }
    }
}
