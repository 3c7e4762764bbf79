package io.brandscan.pipeline.acquire;

import io.brandscan.embedding.image.ImageFingerprint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HexFormat;

/**
 * Builds the registry result object of PIPELINE.md for one acquired listing, which the
 * committer later writes as the listing document: the listing's own fields, where its image is
 * stored, its embedding and its hashes.
 */
public final class ListingResult {
    /** The listing fields copied from the url job into the result, as gather sent them. */
    static final String[] LISTING_FIELDS = {"url", "image_url", "title", "price", "currency", "seller"};

    private ListingResult() {
    }

    /**
     * The result object: {@code url, embedding, s3_path, image_url, title, price, currency,
     * seller, phash, fingerprint, width, height, format}.
     */
    public static JsonObject of(JsonObject listing, String s3Path, float[] embedding, ImageFingerprint fingerprint,
                                int width, int height, String format) {
        JsonObject result = new JsonObject();
        for (String field : LISTING_FIELDS) {
            if (listing.containsKey(field)) {
                result.put(field, listing.getValue(field));
            }
        }
        JsonArray vector = new JsonArray();
        for (float v : embedding) {
            vector.add(v);
        }
        return result.put("embedding", vector)
                .put("s3_path", s3Path)
                .put("phash", HexFormat.of().toHexDigits(fingerprint.whole().pHash()))
                .put("fingerprint", fingerprint.toHex())
                .put("width", width)
                .put("height", height)
                .put("format", format);
    }
}
