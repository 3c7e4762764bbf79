package io.brandscan.gather;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a price out of display text: "$1,299.99", "1.299,99 €", "₹56,999", "CHF 1'299.50",
 * "$12.99 - $15.99" (the lower bound). Marketplaces format prices for people, in the seller's
 * locale, so the separators are inferred: when both '.' and ',' appear the later one is the
 * decimal point; a lone separator followed by exactly three digits is a thousands separator.
 * Text with no digits ("Free", "See options") has no price.
 */
public final class PriceText {
    /** Digits with optional grouping (',', '.', apostrophes, ordinary and narrow no-break spaces). */
    private static final Pattern NUMBER = Pattern.compile("\\d[\\d.,'\u00a0\u202f ]*");
    private static final int MAX_INPUT_CHARS = 100;

    private PriceText() {
    }

    public static Optional<BigDecimal> parse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_INPUT_CHARS) {
            return Optional.empty();
        }
        Matcher matcher = NUMBER.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String token = matcher.group().replaceAll("[\\s'\u00a0\u202f]", "");
        token = token.replaceAll("[.,]+$", "");
        if (token.isEmpty()) {
            return Optional.empty();
        }
        String normalised = normalise(token);
        if (normalised == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(normalised));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String normalise(String token) {
        int lastDot = token.lastIndexOf('.');
        int lastComma = token.lastIndexOf(',');
        if (lastDot >= 0 && lastComma >= 0) {
            char decimal = lastDot > lastComma ? '.' : ',';
            char grouping = decimal == '.' ? ',' : '.';
            String body = token.replace(String.valueOf(grouping), "");
            if (body.indexOf(decimal) != body.lastIndexOf(decimal)) {
                return null;
            }
            return body.replace(decimal, '.');
        }
        char separator = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : 0;
        if (separator == 0) {
            return token;
        }
        int occurrences = token.length() - token.replace(String.valueOf(separator), "").length();
        if (occurrences > 1) {
            return token.replace(String.valueOf(separator), "");
        }
        int at = token.indexOf(separator);
        int digitsAfter = token.length() - at - 1;
        boolean leadingZero = token.startsWith("0" + separator);
        if (digitsAfter == 3 && !leadingZero) {
            return token.replace(String.valueOf(separator), "");
        }
        return token.replace(separator, '.');
    }
}
