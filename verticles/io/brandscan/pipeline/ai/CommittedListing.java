package io.brandscan.pipeline.ai;

import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.scoring.ImageSignature;
import io.brandscan.embedding.scoring.ListingEvidence;
import io.brandscan.store.StoredEmbedding;
import io.vertx.core.json.JsonObject;

/**
 * Reads a committed listing document (the acquire phase's registry result object, PIPELINE.md)
 * into what the scorer needs and what a finding keeps. Owns the tolerance of that read: a
 * listing whose {@code embedding} or {@code fingerprint} is missing or malformed (its image
 * failed, or a foreign writer) is scored on its text alone rather than dropped, and a price that
 * is not a non-negative number counts as unknown.
 *
 * @param url      the listing url (the finding's key)
 * @param evidence what the scorer compares with the brand
 * @param snapshot the listing fields kept on the finding: url, title, image_url, price, currency,
 *                 seller, s3_path, width, height, format (never the embedding)
 */
public record CommittedListing(String url, ListingEvidence evidence, JsonObject snapshot) {

    private static final String[] SNAPSHOT_FIELDS = {"url", "title", "image_url", "price", "currency", "seller",
            "s3_path", "width", "height", "format"};

    /** The listing in {@code doc}; a document without a string {@code url} is an {@link IllegalArgumentException}. */
    public static CommittedListing of(JsonObject doc) {
        if (!(doc.getValue("url") instanceof String url)) {
            throw new IllegalArgumentException("committed listing has no url");
        }
        String title = doc.getValue("title") instanceof String t ? t : "";
        Double price = doc.getValue("price") instanceof Number n && n.doubleValue() >= 0
                && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
        String currency = doc.getValue("currency") instanceof String c && !c.isBlank() ? c : null;
        String seller = doc.getValue("seller") instanceof String s && !s.isBlank() ? s : null;
        JsonObject snapshot = new JsonObject();
        for (String field : SNAPSHOT_FIELDS) {
            if (doc.containsKey(field)) {
                snapshot.put(field, doc.getValue(field));
            }
        }
        return new CommittedListing(url, new ListingEvidence(title, price, currency, seller, signature(doc)), snapshot);
    }

    /** True when the listing's image could be compared (it has a usable signature). */
    public boolean hasImage() {
        return evidence.image() != null;
    }

    /** The stored image signature, or null when the embedding or fingerprint is missing or unreadable. */
    static ImageSignature signature(JsonObject doc) {
        if (!(doc.getValue("fingerprint") instanceof String hex)) {
            return null;
        }
        float[] embedding = StoredEmbedding.read(doc.getValue("embedding"));
        if (embedding == null) {
            return null;
        }
        try {
            return new ImageSignature(embedding, ImageFingerprint.fromHex(hex));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
