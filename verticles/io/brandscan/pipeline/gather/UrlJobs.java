package io.brandscan.pipeline.gather;

import io.brandscan.gather.Listing;
import io.brandscan.scan.BatchKey;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code url-process-queue} bodies of one gather attempt, one per unique listing
 * (PIPELINE.md): {@code {"client_id","scan_id","batch","listing":{"url","title","price",
 * "currency","seller","image_url"}}}. Nothing else goes in, so a message stays far below the
 * SQS size limit whatever a feed's extras hold.
 */
public final class UrlJobs {
    private UrlJobs() {
    }

    public static List<String> bodies(BatchKey batch, List<Listing> listings) {
        List<String> bodies = new ArrayList<>(listings.size());
        for (Listing listing : listings) {
            bodies.add(body(batch, listing).encode());
        }
        return bodies;
    }

    public static JsonObject body(BatchKey batch, Listing listing) {
        JsonObject l = new JsonObject()
                .put("url", listing.url())
                .put("title", listing.title())
                .put("price", listing.price())
                .put("currency", listing.currency())
                .put("seller", listing.seller())
                .put("image_url", listing.imageUrl());
        return new JsonObject()
                .put("client_id", batch.clientId())
                .put("scan_id", batch.scanId())
                .put("batch", batch.toString())
                .put("listing", l);
    }
}
