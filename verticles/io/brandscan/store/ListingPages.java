package io.brandscan.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Where a commit reads a batch's listings from, a page at a time, so a committer holds one page
 * of a big batch rather than all of it: {@link #read(int)} gives the listings from position
 * {@code offset} on (at least one while any are left), an empty page once past the end. Reading
 * from 0 again starts over: a commit that must write its batch a second time does that.
 */
@FunctionalInterface
public interface ListingPages {

    Future<List<JsonObject>> read(int offset);

    /** A list already in memory, {@code pageSize} listings at a time. */
    static ListingPages of(List<JsonObject> listings, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1, got " + pageSize);
        }
        return offset -> Future.succeededFuture(offset >= listings.size() ? List.of()
                : listings.subList(offset, Math.min(listings.size(), offset + pageSize)));
    }
}
