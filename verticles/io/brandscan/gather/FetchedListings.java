package io.brandscan.gather;

import java.util.List;

/**
 * Everything one {@link ListingProvider#fetch} produced: the valid listings in provider order
 * (not de-duplicated: gather does that), what was dropped and why, how many pages were read,
 * and whether the {@code max_listings} bound cut the provider off.
 */
public record FetchedListings(String provider, List<Listing> listings, Rejections rejections, int pages,
                              boolean truncated) {
    public FetchedListings {
        listings = List.copyOf(listings);
    }
}
