package io.brandscan.pipeline.gather;

import io.brandscan.gather.Listing;
import io.brandscan.scan.ListingUrl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider's listings with each listing url kept once: urls are compared in their canonical
 * form ({@link ListingUrl#normalise}), the first listing for a url wins (provider order is
 * relevance order), and every kept listing carries the canonical url, because the registry
 * counts completion by distinct url and acquire must report exactly the url gather counted.
 *
 * @param listings   the unique listings, in first-seen order, with canonical urls
 * @param duplicates listings dropped because an earlier one had the same canonical url
 * @param unusable   listings dropped because their url has no canonical form
 */
public record UniqueListings(List<Listing> listings, int duplicates, int unusable) {
    public UniqueListings {
        listings = List.copyOf(listings);
    }

    public static UniqueListings of(List<Listing> fetched) {
        Map<String, Listing> byUrl = new LinkedHashMap<>();
        int duplicates = 0;
        int unusable = 0;
        for (Listing listing : fetched) {
            String canonical;
            try {
                canonical = ListingUrl.normalise(listing.url());
            } catch (IllegalArgumentException e) {
                unusable++;
                continue;
            }
            if (byUrl.containsKey(canonical)) {
                duplicates++;
            } else {
                byUrl.put(canonical, canonical.equals(listing.url()) ? listing : new Listing(canonical,
                        listing.title(), listing.price(), listing.currency(), listing.seller(), listing.imageUrl(),
                        listing.extras()));
            }
        }
        return new UniqueListings(new ArrayList<>(byUrl.values()), duplicates, unusable);
    }

    public int size() {
        return listings.size();
    }
}
