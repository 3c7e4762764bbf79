package io.brandscan.embedding.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * The three 64-bit perceptual hashes, in plain Java, over an image exactly as given (no border
 * trimming, no mirror: {@link ImageFingerprint} adds those). Bits are row-major, first cell in
 * the most significant bit.
 *
 * <ul>
 *   <li>aHash (the seed's): 8x8 area-averaged grey; bit set where the cell is brighter than
 *       the mean of all 64 cells.</li>
 *   <li>dHash: 9x8 grey; bit set where a cell is brighter than its left neighbour.</li>
 *   <li>pHash: 32x32 grey, 2-D DCT-II; the 63 lowest-frequency AC coefficients (the top-left
 *       8x8 without the DC term) compared to their median. The DC bit is always 0, so pHash
 *       distances range over 0..63.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class PerceptualHash {
    public static final int BITS = 64;
    /**
     * Grey-level differences below this are float rounding, not image: without it a flat image
     * (or a flat area) would get random aHash and dHash bits from the last bit of the averages.
     */
    private static final float FLAT = 1e-3f;
    private static final int PHASH_SIZE = 32;
    private static final int PHASH_LOW = 8;
    /** cos((2x + 1) u pi / 64) for u < 8, x < 32: the DCT-II basis the pHash needs. */
    private static final double[][] COS = new double[PHASH_LOW][PHASH_SIZE];

    static {
        for (int u = 0; u < PHASH_LOW; u++) {
            for (int x = 0; x < PHASH_SIZE; x++) {
                COS[u][x] = Math.cos((2 * x + 1) * u * Math.PI / (2 * PHASH_SIZE));
            }
        }
    }

    private PerceptualHash() {
    }

    public static long aHash(BufferedImage image) {
        GreyPlane g = GreyPlane.of(image);
        return aHash(g.resample(0, 0, g.width, g.height, 8, 8));
    }

    public static long dHash(BufferedImage image) {
        GreyPlane g = GreyPlane.of(image);
        return dHash(g.resample(0, 0, g.width, g.height, 9, 8));
    }

    public static long pHash(BufferedImage image) {
        GreyPlane g = GreyPlane.of(image);
        return pHash(g.resample(0, 0, g.width, g.height, PHASH_SIZE, PHASH_SIZE));
    }

    /** Hamming distance: the number of differing bits, 0..64. */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    static long aHash(GreyPlane grid8x8) {
        requireSize(grid8x8, 8, 8);
        double mean = 0;
        for (float v : grid8x8.values) {
            mean += v;
        }
        mean /= 64;
        long hash = 0;
        for (float v : grid8x8.values) {
            hash = hash << 1 | (v > mean + FLAT ? 1 : 0);
        }
        return hash;
    }

    static long dHash(GreyPlane grid9x8) {
        requireSize(grid9x8, 9, 8);
        long hash = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                hash = hash << 1 | (grid9x8.at(x + 1, y) > grid9x8.at(x, y) + FLAT ? 1 : 0);
            }
        }
        return hash;
    }

    static long pHash(GreyPlane grid32) {
        requireSize(grid32, PHASH_SIZE, PHASH_SIZE);
        // Separable DCT, only the 8 lowest frequencies each way: rows first, then columns.
        double[][] rows = new double[PHASH_SIZE][PHASH_LOW];
        for (int y = 0; y < PHASH_SIZE; y++) {
            for (int u = 0; u < PHASH_LOW; u++) {
                double sum = 0;
                for (int x = 0; x < PHASH_SIZE; x++) {
                    sum += grid32.at(x, y) * COS[u][x];
                }
                rows[y][u] = sum;
            }
        }
        double[] coefficients = new double[PHASH_LOW * PHASH_LOW];
        for (int v = 0; v < PHASH_LOW; v++) {
            for (int u = 0; u < PHASH_LOW; u++) {
                double sum = 0;
                for (int y = 0; y < PHASH_SIZE; y++) {
                    sum += rows[y][u] * COS[v][y];
                }
                coefficients[v * PHASH_LOW + u] = sum;
            }
        }
        // Float rounding leaves AC terms of ~1e-6 of the DC on flat areas; left alone they would
        // give a flat image a random hash. Below that they are zero.
        double noise = 1e-6 * Math.abs(coefficients[0]) + 1e-9;
        for (int i = 1; i < coefficients.length; i++) {
            if (Math.abs(coefficients[i]) < noise) {
                coefficients[i] = 0;
            }
        }
        double[] ac = Arrays.copyOfRange(coefficients, 1, coefficients.length);
        Arrays.sort(ac);
        double median = ac[ac.length / 2]; // 63 values: the middle one
        long hash = 0; // bit 63 (the DC term) stays 0
        for (int i = 1; i < coefficients.length; i++) {
            if (coefficients[i] > median) {
                hash |= 1L << (63 - i);
            }
        }
        return hash;
    }

    private static void requireSize(GreyPlane g, int w, int h) {
        if (g.width != w || g.height != h) {
            throw new IllegalArgumentException("need a " + w + "x" + h + " grid, got " + g.width + "x" + g.height);
        }
    }
}
