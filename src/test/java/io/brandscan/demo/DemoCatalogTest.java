package io.brandscan.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.embedding.scoring.BrandReference;
import io.brandscan.embedding.text.BrandTextProfile;
import io.brandscan.embedding.text.TextScore;
import io.brandscan.embedding.text.TextScorer;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The pure catalog generator: sizes, shares, determinism, what each kind of listing holds. */
class DemoCatalogTest {

    private static final Set<String> REFERENCE_PHOTOS = DemoBrand.PRODUCTS.stream().map(DemoBrand.Product::photo)
            .collect(Collectors.toSet());

    @Test
    void theDefaultCatalogHasSixtyListingsEighteenOfThemInfringing() {
        DemoCatalog catalog = DemoCatalog.generate(DemoCatalogSettings.DEFAULTS);
        assertEquals(60, catalog.size());
        assertEquals(18, catalog.listings().stream().filter(DemoListing::infringing).count());
        assertEquals(60, catalog.listings().stream().map(DemoListing::id).distinct().count(), "ids are unique");
        assertEquals("0001", catalog.listings().get(0).id());
        assertTrue(catalog.byId("0060").isPresent());
        assertTrue(catalog.byId("0061").isEmpty());
        assertTrue(catalog.byId(null).isEmpty());
    }

    @Test
    void theSameSeedGivesTheSameCatalogAndAnotherSeedAnotherOne() {
        DemoCatalogSettings settings = new DemoCatalogSettings(7, 200, 0.4);
        assertEquals(DemoCatalog.generate(settings).listings(), DemoCatalog.generate(settings).listings());
        assertNotEquals(DemoCatalog.generate(settings).listings(),
                DemoCatalog.generate(new DemoCatalogSettings(8, 200, 0.4)).listings());
    }

    @Test
    void infringingListingsCopyAReferencePhotoAndCleanOnesNever() {
        DemoCatalog catalog = DemoCatalog.generate(new DemoCatalogSettings(3, 2_000, 0.25));
        assertEquals(500, catalog.listings().stream().filter(DemoListing::infringing).count());
        Set<Integer> copied = new HashSet<>();
        Set<String> tricks = new HashSet<>();
        Set<DemoEdit> edits = new HashSet<>();
        for (DemoListing l : catalog.listings()) {
            if (l.infringing()) {
                assertEquals(DemoBrand.referencePhoto(l.reference()), l.image().source(), l.toString());
                assertFalse(DemoBrand.AUTHORIZED_SELLERS.contains(l.seller()), l.toString());
                if (l.trick().equals("neutral")) {
                    assertTrue(l.image().edit().keepsHashes(), "a plain title hides only behind a photo hashes see: " + l);
                }
                copied.add(l.reference());
                tricks.add(l.trick());
                edits.add(l.image().edit());
            } else {
                assertFalse(REFERENCE_PHOTOS.contains(l.image().source()), l.toString());
                assertEquals(-1, l.reference());
                assertTrue(Set.of("plain", "competitor").contains(l.trick()), l.toString());
            }
            assertTrue(l.price().signum() > 0, l.toString());
            assertEquals(2, l.price().scale(), l.toString());
        }
        assertEquals(Set.of(0, 1, 2, 3), copied, "every reference photo is copied");
        assertEquals(Set.copyOf(DemoCatalog.TRICKS), tricks, "every title trick is used");
        assertEquals(Set.of(DemoEdit.values()), edits, "every edit is used");
    }

    @Test
    void someInfringingListingsAreSuspiciouslyCheapAndCleanOnesAreNot() {
        DemoCatalog catalog = DemoCatalog.generate(new DemoCatalogSettings(11, 400, 0.5));
        BigDecimal line = BigDecimal.valueOf(DemoBrand.REFERENCE_PRICE / 2);
        long cheap = catalog.listings().stream().filter(DemoListing::infringing)
                .filter(l -> l.price().compareTo(line) < 0).count();
        assertTrue(cheap > 50 && cheap < 150, "about half of 200 infringing listings are under half price: " + cheap);
    }

    @Test
    void sharesAtTheEdgesAndBadSettings() {
        assertTrue(DemoCatalog.generate(new DemoCatalogSettings(1, 10, 0)).listings().stream()
                .noneMatch(DemoListing::infringing));
        assertTrue(DemoCatalog.generate(new DemoCatalogSettings(1, 10, 1)).listings().stream()
                .allMatch(DemoListing::infringing));
        assertEquals(1, DemoCatalog.generate(new DemoCatalogSettings(1, 1, 0.5)).size());
        assertEquals("00001", DemoCatalog.generate(new DemoCatalogSettings(1, 10_000, 0.1)).listings().get(0).id());
        assertThrows(IllegalArgumentException.class, () -> new DemoCatalogSettings(1, 0, 0.3));
        assertThrows(IllegalArgumentException.class, () -> new DemoCatalogSettings(1, 10_001, 0.3));
        assertThrows(IllegalArgumentException.class, () -> new DemoCatalogSettings(1, 10, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new DemoCatalogSettings(1, 10, Double.NaN));
        DemoCatalog c = DemoCatalog.generate(DemoCatalogSettings.DEFAULTS);
        assertEquals(List.of(), c.page(60, 10));
        assertEquals(10, c.page(55, 10).size() + 5);
        assertThrows(IllegalArgumentException.class, () -> c.page(-1, 10));
    }

    @Test
    void homoglyphTitlesReadTheSameAndCompareUnequal() {
        String fake = DemoCatalog.homoglyphs(DemoBrand.NAME);
        assertEquals(DemoBrand.NAME.length(), fake.length());
        assertNotEquals(DemoBrand.NAME, fake);
        assertTrue(fake.chars().anyMatch(ch -> Character.UnicodeBlock.of(ch) == Character.UnicodeBlock.CYRILLIC));
    }

    /**
     * The brand's lexical text matcher finds every look-alike title and no clean one: the demo
     * exercises the matcher's folds (homoglyphs, leetspeak, spacing, misspellings), and a stolen
     * photo under a plain title is left to the image score.
     */
    @Test
    void theLexicalMatcherFindsLookAlikeTitlesAndNoCleanOne() {
        TextScorer text = TextScorer.lexicalOnly();
        BrandTextProfile profile = text.profile(BrandReference.brandTerms(DemoBrand.document("http://127.0.0.1:1").getMap()));
        DemoCatalog catalog = DemoCatalog.generate(new DemoCatalogSettings(5, 600, 0.5));
        int missed = 0;
        for (DemoListing l : catalog.listings()) {
            TextScore s = text.score(l.title(), profile);
            if (!l.infringing()) {
                assertFalse(s.matched(), () -> "clean title matched: " + l.title() + " " + s);
            } else if (!l.trick().equals("neutral") && !s.matched()) {
                missed++;
                System.out.println("look-alike title not matched by text alone: " + l.trick() + " '" + l.title() + "' " + s.score());
            }
        }
        assertEquals(0, missed, "look-alike titles the text matcher misses");
    }
}
