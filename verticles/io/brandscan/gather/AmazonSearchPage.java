package io.brandscan.gather;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One page of ScraperAPI's structured Amazon search answer, mapped to listings. The answer is
 * {@code {"ads": [...], "amazons_choice": [...], "results": [...], "explore_more_items": [...],
 * "pagination": ["<amazon url of page 2>", ...]}}; each result carries {@code type},
 * {@code position}, {@code asin}, {@code name}, {@code image}, {@code has_prime},
 * {@code is_best_seller}, {@code is_amazon_choice}, {@code stars}, {@code total_reviews},
 * {@code url}, {@code price_string}, {@code price_symbol}, {@code price} and sometimes
 * {@code original_price}. Search results name no seller, so {@code seller} stays null.
 * Organic {@code results} only: ads repeat organic items and carry fewer fields.
 *
 * <p>More pages exist when {@code pagination} (or {@code next_pages}, its name in some answers)
 * lists any; when neither is present, when the page had results.
 */
public record AmazonSearchPage(List<ListingJson.Parsed> entries, boolean hasMore) {
    private static final Map<String, String> CURRENCY_BY_TLD = Map.ofEntries(
            Map.entry("com", "USD"), Map.entry("co.uk", "GBP"), Map.entry("de", "EUR"), Map.entry("fr", "EUR"),
            Map.entry("it", "EUR"), Map.entry("es", "EUR"), Map.entry("nl", "EUR"), Map.entry("ie", "EUR"),
            Map.entry("ca", "CAD"), Map.entry("com.au", "AUD"), Map.entry("co.jp", "JPY"), Map.entry("in", "INR"),
            Map.entry("com.mx", "MXN"), Map.entry("com.br", "BRL"), Map.entry("se", "SEK"), Map.entry("pl", "PLN"),
            Map.entry("ae", "AED"), Map.entry("sa", "SAR"), Map.entry("sg", "SGD"), Map.entry("com.tr", "TRY"));
    private static final Map<String, String> CURRENCY_BY_SYMBOL = Map.of(
            "€", "EUR", "£", "GBP", "₹", "INR", "¥", "JPY", "R$", "BRL", "zł", "PLN");

    /** Throws {@link UnreadableAnswer} when the answer lacks its {@code results} array. */
    public static AmazonSearchPage parse(JsonObject answer, String tld) throws UnreadableAnswer {
        Object results = answer.getValue("results");
        if (!(results instanceof JsonArray array)) {
            throw new UnreadableAnswer(ProviderError.WRONG_SHAPE,
                    "ScraperAPI answer has no \"results\" array (it is " + ListingJson.describe(results) + ")");
        }
        String tldCurrency = CURRENCY_BY_TLD.get(tld.toLowerCase(Locale.ROOT));
        List<ListingJson.Parsed> entries = new ArrayList<>(array.size());
        for (Object item : array) {
            entries.add(toListing(item, tldCurrency));
        }
        boolean more;
        Object pagination = answer.getValue("pagination", answer.getValue("next_pages"));
        if (pagination instanceof JsonArray pages) {
            more = !pages.isEmpty();
        } else {
            more = !array.isEmpty();
        }
        return new AmazonSearchPage(entries, more);
    }

    static ListingJson.Parsed toListing(Object item, String tldCurrency) {
        if (!(item instanceof JsonObject result)) {
            return new ListingJson.Parsed(null, RejectReason.NOT_AN_OBJECT, "result is " + ListingJson.describe(item));
        }
        try {
            BigDecimal price = price(result);
            Map<String, String> extras = new TreeMap<>();
            putIfPresent(extras, "asin", result.getValue("asin"));
            putIfPresent(extras, "rating", result.getValue("stars"));
            putIfPresent(extras, "total_reviews", result.getValue("total_reviews"));
            putIfPresent(extras, "position", result.getValue("position"));
            putIfPresent(extras, "has_prime", result.getValue("has_prime"));
            putIfPresent(extras, "price_string", result.getValue("price_string"));
            Listing listing = Listing.of(string(result, "url"), string(result, "name"), price,
                    currency(result, tldCurrency), null, string(result, "image"), extras);
            return new ListingJson.Parsed(listing, null, null);
        } catch (InvalidListingException e) {
            return new ListingJson.Parsed(null, e.reason(), e.getMessage());
        }
    }

    /** {@code price} when it is a number, else {@code price_string} read as display text. */
    private static BigDecimal price(JsonObject result) {
        Object price = result.getValue("price");
        if (price instanceof Number) {
            return ListingJson.price(price);
        }
        Object text = result.getValue("price_string");
        if (text instanceof String s && !s.isBlank()) {
            return ListingJson.price(s);
        }
        return price instanceof String s ? ListingJson.price(s) : null;
    }

    private static String currency(JsonObject result, String tldCurrency) {
        Object symbol = result.getValue("price_symbol");
        if (symbol instanceof String s && CURRENCY_BY_SYMBOL.containsKey(s.strip())) {
            return CURRENCY_BY_SYMBOL.get(s.strip());
        }
        return tldCurrency;
    }

    private static String string(JsonObject json, String key) {
        Object value = json.getValue(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new InvalidListingException(RejectReason.BAD_FIELD_TYPE, key + " must be a string, not "
                + ListingJson.describe(value));
    }

    private static void putIfPresent(Map<String, String> extras, String key, Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            extras.put(key, value.toString());
        }
    }
}
