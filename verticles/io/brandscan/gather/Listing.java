package io.brandscan.gather;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One marketplace listing as a provider reported it: the unit gather de-duplicates and hands to
 * acquire. Built only through {@link #of}, which enforces what later stages rely on: absolute
 * http(s) {@code url} and {@code imageUrl}, a non-blank title, a non-negative price when there
 * is one. {@code extras} holds a few provider-specific facts (an ASIN, a rating) as strings,
 * bounded so a hostile feed cannot smuggle megabytes through it.
 *
 * @param price    nullable: search results and feeds often omit it
 * @param currency nullable ISO 4217 code, upper case
 * @param seller   nullable: search results rarely name the seller
 */
public record Listing(String url, String title, BigDecimal price, String currency, String seller, String imageUrl,
                      Map<String, String> extras) {
    /** Longest URL accepted; browsers and CDNs reject much longer ones anyway. */
    public static final int MAX_URL_CHARS = 4096;
    public static final int MAX_TITLE_CHARS = 1000;
    public static final int MAX_TEXT_CHARS = 200;
    public static final int MAX_EXTRAS = 16;

    public Listing {
        extras = extras == null ? Map.of() : Map.copyOf(extras);
    }

    /**
     * The validating factory. Trims text, turns blank optional fields into null, and throws
     * {@link InvalidListingException} naming the first rule broken.
     */
    public static Listing of(String url, String title, BigDecimal price, String currency, String seller,
                             String imageUrl, Map<String, String> extras) {
        String cleanUrl = requireHttpUrl(url, RejectReason.MISSING_URL, RejectReason.BAD_URL);
        String cleanImage = requireHttpUrl(imageUrl, RejectReason.MISSING_IMAGE_URL, RejectReason.BAD_IMAGE_URL);
        String cleanTitle = blankToNull(title);
        if (cleanTitle == null) {
            throw new InvalidListingException(RejectReason.MISSING_TITLE, "title is missing or blank");
        }
        if (cleanTitle.length() > MAX_TITLE_CHARS) {
            cleanTitle = cleanTitle.substring(0, MAX_TITLE_CHARS);
        }
        if (price != null && price.signum() < 0) {
            throw new InvalidListingException(RejectReason.BAD_PRICE, "price is negative: " + price.toPlainString());
        }
        return new Listing(cleanUrl, cleanTitle, normalise(price), cleanCurrency(currency), clip(blankToNull(seller)), cleanImage,
                cleanExtras(extras));
    }

    /** The same listing with more extras (later keys win), still bounded. */
    public Listing withExtra(String key, String value) {
        Map<String, String> more = new TreeMap<>(extras);
        more.put(key, value);
        return new Listing(url, title, price, currency, seller, imageUrl, cleanExtras(more));
    }

    private static String requireHttpUrl(String raw, RejectReason missing, RejectReason bad) {
        String value = blankToNull(raw);
        if (value == null) {
            throw new InvalidListingException(missing, missing.code().replace('_', ' '));
        }
        if (value.length() > MAX_URL_CHARS) {
            throw new InvalidListingException(bad, "longer than " + MAX_URL_CHARS + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidListingException(bad, "not a URI: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new InvalidListingException(bad, "not an absolute http(s) URL: " + clip(value));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidListingException(bad, "no host in " + clip(value));
        }
        if (uri.getRawUserInfo() != null) {
            // user:password@host URLs are a classic way to disguise the real host; nothing legitimate needs them
            throw new InvalidListingException(bad, "credentials in URL are not accepted");
        }
        return value;
    }

    /** 99.50 and 99.5 are one price; JSON round trips drop trailing zeros, so equality must too. */
    private static BigDecimal normalise(BigDecimal price) {
        if (price == null) {
            return null;
        }
        BigDecimal stripped = price.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static String cleanCurrency(String raw) {
        String value = blankToNull(raw);
        if (value == null) {
            return null;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        // ISO 4217 codes are three letters; anything else ("$", "dollars") is not trustworthy enough to keep
        return upper.matches("[A-Z]{3}") ? upper : null;
    }

    private static Map<String, String> cleanExtras(Map<String, String> extras) {
        if (extras == null || extras.isEmpty()) {
            return Map.of();
        }
        Map<String, String> kept = new TreeMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(extras).entrySet()) {
            String key = blankToNull(entry.getKey());
            String value = blankToNull(entry.getValue());
            if (key != null && value != null && kept.size() < MAX_EXTRAS) {
                kept.put(clip(key), clip(value));
            }
        }
        return kept;
    }

    private static String blankToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static String clip(String value) {
        return value == null || value.length() <= MAX_TEXT_CHARS ? value : value.substring(0, MAX_TEXT_CHARS);
    }
}
