package io.brandscan.embedding.text;

import java.util.Objects;

/**
 * Damerau-Levenshtein distance in its optimal-string-alignment (OSA) variant: insertions,
 * deletions, substitutions and transpositions of two adjacent characters each cost 1, and no
 * substring is edited more than once (so OSA("ca", "abc") is 3, where unrestricted
 * Damerau-Levenshtein gives 2). OSA is what typo matching needs: a swapped pair of letters
 * ("Nkie") is one edit. The bounded form stops as soon as the distance must exceed the bound,
 * which is what makes scanning every title window affordable. Pure and thread-safe.
 */
public final class EditDistance {

    private EditDistance() {
    }

    /** Character equality between position {@code i} of the first text and {@code j} of the second. */
    @FunctionalInterface
    interface Same {
        boolean at(int i, int j);
    }

    /** The OSA distance between {@code a} and {@code b}. */
    public static int osa(CharSequence a, CharSequence b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        return osa(a.length(), b.length(), (i, j) -> a.charAt(i) == b.charAt(j), Integer.MAX_VALUE - 1);
    }

    /**
     * The OSA distance if it is at most {@code maxDistance}, otherwise {@code maxDistance + 1}
     * (computed without finishing the table). Gives the same answer as {@link #osa} whenever that
     * answer is within the bound.
     */
    public static int osaWithin(CharSequence a, CharSequence b, int maxDistance) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (maxDistance < 0) {
            throw new IllegalArgumentException("maxDistance must be >= 0");
        }
        return osa(a.length(), b.length(), (i, j) -> a.charAt(i) == b.charAt(j), maxDistance);
    }

    /**
     * The bounded OSA distance over an arbitrary equality, so a folded title character with
     * several readings (leetspeak "1" as i or l) matches any of them.
     */
    static int osa(int n, int m, Same same, int max) {
        if (Math.abs(n - m) > max) {
            return max + 1;
        }
        if (n == 0 || m == 0) {
            return Math.min(Math.max(n, m), max + 1);
        }
        int[] prev2 = new int[m + 1];
        int[] prev = new int[m + 1];
        int[] cur = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= m; j++) {
                int cost = same.at(i - 1, j - 1) ? 0 : 1;
                int d = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && same.at(i - 1, j - 2) && same.at(i - 2, j - 1)) {
                    d = Math.min(d, prev2[j - 2] + 1);
                }
                cur[j] = d;
                rowMin = Math.min(rowMin, d);
            }
            // Every later cell derives from this row (+0 or more) or from the one before it (+1,
            // and that row's minimum is at least this row's minimum - 1), so none can come back
            // under the bound.
            if (rowMin > max) {
                return max + 1;
            }
            int[] t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
        return Math.min(prev[m], max + 1);
    }
}
