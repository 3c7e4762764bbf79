package io.brandscan.gather;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The listing's invariants and its JSON edge. */
class ListingTest {
    private static Listing valid() {
        return Listing.of(" https://shop.example/p/1 ", " Nike Air Max ", new BigDecimal("99.50"), "usd", " Acme ",
                "https://img.example/1.jpg", Map.of("asin", "B0TEST0001"));
    }

    @Test
    void theFactoryTrimsAndNormalises() {
        Listing listing = valid();
        assertEquals("https://shop.example/p/1", listing.url());
        assertEquals("Nike Air Max", listing.title());
        assertEquals("USD", listing.currency());
        assertEquals("Acme", listing.seller());
        assertEquals(Map.of("asin", "B0TEST0001"), listing.extras());
    }

    @Test
    void eachRuleHasItsReason() {
        Map<RejectReason, Runnable> broken = Map.of(
                RejectReason.MISSING_URL, () -> Listing.of(null, "t", null, null, null, "https://i/1.jpg", null),
                RejectReason.BAD_URL, () -> Listing.of("shop.example/p", "t", null, null, null, "https://i/1.jpg", null),
                RejectReason.MISSING_TITLE, () -> Listing.of("https://s/p", " \t", null, null, null, "https://i/1.jpg", null),
                RejectReason.MISSING_IMAGE_URL, () -> Listing.of("https://s/p", "t", null, null, null, "", null),
                RejectReason.BAD_IMAGE_URL, () -> Listing.of("https://s/p", "t", null, null, null, "data:image/png;base64,xx", null),
                RejectReason.BAD_PRICE, () -> Listing.of("https://s/p", "t", new BigDecimal("-1"), null, null,
                        "https://i/1.jpg", null));
        broken.forEach((reason, attempt) -> assertEquals(reason,
                assertThrows(InvalidListingException.class, attempt::run).reason(), reason.code()));
    }

    @Test
    void urlsMustBeAbsoluteHttpWithAHostAndNoCredentials() {
        for (String bad : List.of("http://", "https:///path", "mailto:a@b.c", "//cdn.example/x.jpg", "http://a b/",
                "https://user:pw@cdn.example/x.jpg", "x".repeat(10) + "https://cdn.example", "https://cdn.example/"
                        + "a".repeat(Listing.MAX_URL_CHARS))) {
            assertEquals(RejectReason.BAD_IMAGE_URL, assertThrows(InvalidListingException.class,
                    () -> Listing.of("https://s/p", "t", null, null, null, bad, null)).reason(), bad);
        }
        assertEquals("HTTP://CDN.example/x.jpg",
                Listing.of("https://s/p", "t", null, null, null, "HTTP://CDN.example/x.jpg", null).imageUrl());
    }

    @Test
    void optionalFieldsMayBeAbsentAndJunkCurrenciesAreDropped() {
        Listing bare = Listing.of("https://s/p", "t", null, "$", "  ", "https://i/1.jpg", null);
        assertNull(bare.price());
        assertNull(bare.currency());
        assertNull(bare.seller());
        assertTrue(bare.extras().isEmpty());
    }

    @Test
    void extrasAndTextAreBounded() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("k" + i, "v".repeat(1000));
        }
        Listing listing = Listing.of("https://s/p", "t".repeat(5000), null, null, "s".repeat(1000), "https://i/1.jpg", many);
        assertEquals(Listing.MAX_EXTRAS, listing.extras().size());
        assertTrue(listing.extras().values().stream().allMatch(v -> v.length() == Listing.MAX_TEXT_CHARS));
        assertEquals(Listing.MAX_TITLE_CHARS, listing.title().length());
        assertEquals(Listing.MAX_TEXT_CHARS, listing.seller().length());
        assertThrows(UnsupportedOperationException.class, () -> listing.extras().put("x", "y"));
    }

    @Test
    void jsonHasTheFeedKeysAndRoundTrips() {
        Listing listing = valid();
        JsonObject json = ListingJson.toJson(listing);

        assertEquals(Set.of("url", "title", "price", "currency", "seller", "image_url", "extras"), json.fieldNames());
        assertEquals("https://img.example/1.jpg", json.getString("image_url"));
        assertEquals(0, new BigDecimal("99.50").compareTo(new BigDecimal(json.getValue("price").toString())));
        assertEquals(new BigDecimal("1300"), Listing.of("https://s/p", "t", new BigDecimal("1300.00"), null, null,
                "https://i/1.jpg", null).price(), "normalised without going to 1.3E+3");
        ListingJson.Parsed back = ListingJson.fromJson(new JsonObject(json.encode()));
        assertTrue(back.ok());
        assertEquals(listing, back.listing());

        JsonObject noExtras = ListingJson.toJson(Listing.of("https://s/p", "t", null, null, null, "https://i/1.jpg", null));
        assertFalse(noExtras.containsKey("extras"));
        assertTrue(noExtras.containsKey("price") && noExtras.getValue("price") == null, "absent price is an explicit null");
    }

    @Test
    void jsonParsingReportsInsteadOfThrowing() {
        assertEquals(RejectReason.NOT_AN_OBJECT, ListingJson.fromJson(List.of()).reason());
        assertEquals(RejectReason.BAD_FIELD_TYPE, ListingJson.fromJson(new JsonObject().put("url", List.of("x"))
                .put("title", "t").put("image_url", "https://i/1.jpg")).reason());
        ListingJson.Parsed numeric = ListingJson.fromJson(new JsonObject().put("url", "https://s/p").put("title", 1984)
                .put("image_url", "https://i/1.jpg").put("price", "12,50 €"));
        assertEquals("1984", numeric.listing().title());
        assertEquals(new BigDecimal("12.5"), numeric.listing().price());
        assertTrue(ListingJson.fromJson(new JsonObject().put("title", "t")).detail().contains("missing"));
    }
}
