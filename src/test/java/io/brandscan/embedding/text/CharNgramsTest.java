package io.brandscan.embedding.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CharNgramsTest {

    @Test
    void identicalIsOneDisjointIsZero() {
        assertEquals(1.0, CharNgrams.trigramDice("gucci", "gucci"), 1e-12);
        assertEquals(0.0, CharNgrams.trigramDice("gucci", "xyz"), 1e-12);
        assertEquals(1.0, CharNgrams.jaccard("gucci", "gucci", 3), 1e-12);
    }

    @Test
    void paddingCountsTheEnds() {
        // Padded: ##n #ni nik ike ke# e## (6) against ##n #ni nik ike kee ee# e## (7); 5 shared.
        assertEquals(2.0 * 5 / 13, CharNgrams.trigramDice("nike", "nikee"), 1e-12);
        // Even a single letter has padded grams, so short names are comparable at all.
        assertEquals(1.0, CharNgrams.trigramDice("a", "a"), 1e-12);
    }

    @Test
    void symmetricAndJaccardNeverAboveDice() {
        String[][] pairs = {{"louisvuitton", "louisvuiton"}, {"balenciaga", "balenciago"}, {"nike", "adidas"},
                {"abab", "baba"}};
        for (String[] p : pairs) {
            assertEquals(CharNgrams.trigramDice(p[0], p[1]), CharNgrams.trigramDice(p[1], p[0]), 1e-12);
            assertTrue(CharNgrams.jaccard(p[0], p[1], 3) <= CharNgrams.trigramDice(p[0], p[1]) + 1e-12);
        }
        assertTrue(CharNgrams.trigramDice("louisvuitton", "louisvuiton") > 0.8);
        assertTrue(CharNgrams.trigramDice("nike", "adidas") < 0.1);
    }

    @Test
    void emptyAndBadInputs() {
        assertEquals(1.0, CharNgrams.trigramDice("", ""), 1e-12);
        assertEquals(0.0, CharNgrams.trigramDice("", "nike"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> CharNgrams.dice("a", "b", 0));
        assertThrows(NullPointerException.class, () -> CharNgrams.trigramDice(null, "b"));
    }
}
