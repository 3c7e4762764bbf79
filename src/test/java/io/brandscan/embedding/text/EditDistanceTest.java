package io.brandscan.embedding.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EditDistanceTest {

    @Test
    void knownDistances() {
        assertEquals(0, EditDistance.osa("nike", "nike"));
        assertEquals(3, EditDistance.osa("kitten", "sitting"));
        assertEquals(4, EditDistance.osa("", "nike"));
        assertEquals(4, EditDistance.osa("nike", ""));
        assertEquals(0, EditDistance.osa("", ""));
        assertEquals(1, EditDistance.osa("nike", "nikee"));
        assertEquals(1, EditDistance.osa("nike", "nke"));
        assertEquals(1, EditDistance.osa("nike", "mike"));
    }

    @Test
    void transpositionCountsOne() {
        assertEquals(1, EditDistance.osa("nike", "nkie"));
        assertEquals(1, EditDistance.osa("adidas", "adiads"));
        assertEquals(1, EditDistance.osa("ab", "ba"));
    }

    @Test
    void isTheOptimalStringAlignmentVariant() {
        // Unrestricted Damerau-Levenshtein gives 2 here (ca -> ac -> abc); OSA may not edit a
        // transposed pair again, so it needs 3.
        assertEquals(3, EditDistance.osa("ca", "abc"));
    }

    @Test
    void symmetricOnRandomStrings() {
        Random rnd = new Random(7);
        for (int k = 0; k < 2000; k++) {
            String a = random(rnd);
            String b = random(rnd);
            assertEquals(EditDistance.osa(a, b), EditDistance.osa(b, a), a + " / " + b);
        }
    }

    @Test
    void boundedGivesTheSameAnswerUnderTheBoundAndBoundPlusOneAbove() {
        Random rnd = new Random(11);
        int under = 0;
        int over = 0;
        for (int k = 0; k < 3000; k++) {
            String a = random(rnd);
            String b = rnd.nextBoolean() ? random(rnd) : mutate(a, rnd);
            int full = EditDistance.osa(a, b);
            for (int max = 0; max <= 4; max++) {
                int bounded = EditDistance.osaWithin(a, b, max);
                if (full <= max) {
                    assertEquals(full, bounded, a + " / " + b + " max " + max);
                    under++;
                } else {
                    assertEquals(max + 1, bounded, a + " / " + b + " max " + max);
                    over++;
                }
            }
        }
        assertTrue(under > 1000 && over > 1000, "both branches exercised: " + under + " / " + over);
    }

    @Test
    void badInputs() {
        assertThrows(IllegalArgumentException.class, () -> EditDistance.osaWithin("a", "b", -1));
        assertThrows(NullPointerException.class, () -> EditDistance.osa(null, "b"));
        assertThrows(NullPointerException.class, () -> EditDistance.osaWithin("a", null, 1));
        assertEquals(3, EditDistance.osaWithin("", "abcdef", 2), "length gap alone exceeds the bound");
    }

    private static String random(Random rnd) {
        int n = rnd.nextInt(8);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + rnd.nextInt(4)));
        }
        return b.toString();
    }

    private static String mutate(String s, Random rnd) {
        StringBuilder b = new StringBuilder(s);
        for (int e = rnd.nextInt(3); e >= 0 && b.length() > 1; e--) {
            int i = rnd.nextInt(b.length() - 1);
            char c = b.charAt(i);
            b.setCharAt(i, b.charAt(i + 1));
            b.setCharAt(i + 1, c);
        }
        return b.toString();
    }
}
