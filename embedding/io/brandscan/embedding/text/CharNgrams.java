package io.brandscan.embedding.text;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Character n-gram similarity with padding: each text is padded with {@code n - 1} boundary
 * marks on both sides, so the first and last letters weigh as much as inner ones ("nike" and
 * "nikee" share their start). Grams are counted as multisets. Dice is the default because it
 * rewards shared grams more gently than Jaccard on short names. Pure and thread-safe.
 */
public final class CharNgrams {

    private static final char PAD = '\u0002';

    private CharNgrams() {
    }

    /** Dice coefficient of padded trigrams, in 0..1. */
    public static double trigramDice(String a, String b) {
        return dice(a, b, 3);
    }

    /** Dice coefficient {@code 2|A∩B| / (|A| + |B|)} of padded n-gram multisets, in 0..1. */
    public static double dice(String a, String b, int n) {
        int[] counts = overlap(a, b, n);
        if (counts == null) {
            return a.isEmpty() && b.isEmpty() ? 1.0 : 0.0;
        }
        return 2.0 * counts[0] / (counts[1] + counts[2]);
    }

    /** Jaccard index {@code |A∩B| / |A∪B|} of padded n-gram multisets, in 0..1. */
    public static double jaccard(String a, String b, int n) {
        int[] counts = overlap(a, b, n);
        if (counts == null) {
            return a.isEmpty() && b.isEmpty() ? 1.0 : 0.0;
        }
        return (double) counts[0] / (counts[1] + counts[2] - counts[0]);
    }

    /** {shared, |A|, |B|}, or null when either text is empty. */
    private static int[] overlap(String a, String b, int n) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1");
        }
        if (a.isEmpty() || b.isEmpty()) {
            return null;
        }
        Map<String, Integer> grams = grams(a, n);
        int shared = 0;
        int sizeB = 0;
        for (Map.Entry<String, Integer> e : grams(b, n).entrySet()) {
            sizeB += e.getValue();
            shared += Math.min(e.getValue(), grams.getOrDefault(e.getKey(), 0));
        }
        int sizeA = grams.values().stream().mapToInt(Integer::intValue).sum();
        return new int[] {shared, sizeA, sizeB};
    }

    private static Map<String, Integer> grams(String s, int n) {
        String pad = String.valueOf(PAD).repeat(n - 1);
        String padded = pad + s + pad;
        Map<String, Integer> grams = new HashMap<>();
        for (int i = 0; i + n <= padded.length(); i++) {
            grams.merge(padded.substring(i, i + n), 1, Integer::sum);
        }
        return grams;
    }
}
