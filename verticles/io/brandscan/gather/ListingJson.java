package io.brandscan.gather;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON edge of {@link Listing}: the feed format
 * {@code {"url","title","price","currency","seller","image_url"}} plus an optional
 * {@code "extras"} object of strings. Parsing never throws for bad data: an entry that breaks a
 * rule comes back as a rejection with its reason, so one bad row never sinks a feed.
 */
public final class ListingJson {
    private ListingJson() {
    }

    /** Outcome of reading one feed entry: exactly one of {@code listing} and {@code reason} is set. */
    public record Parsed(Listing listing, RejectReason reason, String detail) {
        public boolean ok() {
            return listing != null;
        }
    }

    public static JsonObject toJson(Listing listing) {
        JsonObject json = new JsonObject()
                .put("url", listing.url())
                .put("title", listing.title())
                .put("price", listing.price())
                .put("currency", listing.currency())
                .put("seller", listing.seller())
                .put("image_url", listing.imageUrl());
        if (!listing.extras().isEmpty()) {
            json.put("extras", new JsonObject(new TreeMap<String, Object>(listing.extras())));
        }
        return json;
    }

    /** Reads one entry; {@code entry} may be anything a JSON array holds. */
    public static Parsed fromJson(Object entry) {
        if (!(entry instanceof JsonObject json)) {
            return new Parsed(null, RejectReason.NOT_AN_OBJECT, "entry is " + describe(entry) + ", not an object");
        }
        try {
            BigDecimal price = price(json.getValue("price"));
            Listing listing = Listing.of(text(json, "url"), text(json, "title"), price, text(json, "currency"),
                    text(json, "seller"), text(json, "image_url"), extras(json.getValue("extras")));
            return new Parsed(listing, null, null);
        } catch (InvalidListingException e) {
            return new Parsed(null, e.reason(), e.getMessage());
        }
    }

    private static String text(JsonObject json, String key) {
        Object value = json.getValue(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new InvalidListingException(RejectReason.BAD_FIELD_TYPE, key + " must be a string, not " + describe(value));
    }

    /** Numbers as they are; strings like "$1,299.99" through {@link PriceText}; anything else is a bad price. */
    static BigDecimal price(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            BigDecimal decimal = new BigDecimal(number.toString());
            if (decimal.signum() < 0) {
                throw new InvalidListingException(RejectReason.BAD_PRICE, "price is negative: " + number);
            }
            return decimal;
        }
        if (value instanceof String text) {
            if (text.isBlank()) {
                return null;
            }
            return PriceText.parse(text).orElseThrow(() ->
                    new InvalidListingException(RejectReason.BAD_PRICE, "price is not a number: " + text));
        }
        throw new InvalidListingException(RejectReason.BAD_PRICE, "price is " + describe(value));
    }

    private static Map<String, String> extras(Object value) {
        if (!(value instanceof JsonObject json)) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        json.forEach(entry -> {
            Object v = entry.getValue();
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                out.put(entry.getKey(), v.toString());
            }
        });
        return out;
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof JsonObject) {
            return "an object";
        }
        if (value instanceof io.vertx.core.json.JsonArray) {
            return "an array";
        }
        return "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
