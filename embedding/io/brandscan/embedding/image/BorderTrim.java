package io.brandscan.embedding.image;

import java.util.Arrays;

/**
 * Finds the content of an image inside near-uniform borders and padding, so that a copy placed
 * on a canvas, framed, or letterboxed hashes like the original.
 *
 * <p>Each side is trimmed while its outermost row (or column) is near-uniform and close to the
 * colour that side started with. Up to three rounds, so a thin frame around white padding
 * comes off in layers. If trimming would leave less than a tenth of a side (or 8 pixels), the
 * image is itself near-uniform and is kept whole: hashing what is left would hash noise.
 */
final class BorderTrim {
    /** Grey levels (0..255) a border pixel may differ from the border colour: JPEG noise. */
    static final float TOLERANCE = 24f;
    /** Share of a row that may break the tolerance and still count as border (specks, ringing). */
    static final double OUTLIER_SHARE = 0.02;
    private static final int ROUNDS = 3;

    /** A rectangle [x0, x1) x [y0, y1). */
    record Region(int x0, int y0, int x1, int y1) {
        int width() {
            return x1 - x0;
        }

        int height() {
            return y1 - y0;
        }
    }

    private BorderTrim() {
    }

    static Region find(GreyPlane g) {
        int x0 = 0;
        int y0 = 0;
        int x1 = g.width;
        int y1 = g.height;
        int minW = Math.max(8, g.width / 10);
        int minH = Math.max(8, g.height / 10);
        for (int round = 0; round < ROUNDS; round++) {
            Region before = new Region(x0, y0, x1, y1);
            float ref = median(row(g, y0, x0, x1));
            while (y1 - y0 > minH && uniform(row(g, y0, x0, x1), ref)) {
                y0++;
            }
            ref = median(row(g, y1 - 1, x0, x1));
            while (y1 - y0 > minH && uniform(row(g, y1 - 1, x0, x1), ref)) {
                y1--;
            }
            ref = median(column(g, x0, y0, y1));
            while (x1 - x0 > minW && uniform(column(g, x0, y0, y1), ref)) {
                x0++;
            }
            ref = median(column(g, x1 - 1, y0, y1));
            while (x1 - x0 > minW && uniform(column(g, x1 - 1, y0, y1), ref)) {
                x1--;
            }
            if (before.equals(new Region(x0, y0, x1, y1))) {
                break;
            }
        }
        if (x1 - x0 <= minW || y1 - y0 <= minH) {
            return new Region(0, 0, g.width, g.height);
        }
        return new Region(x0, y0, x1, y1);
    }

    private static boolean uniform(float[] line, float ref) {
        int allowed = (int) (line.length * OUTLIER_SHARE);
        int off = 0;
        for (float v : line) {
            if (Math.abs(v - ref) > TOLERANCE && ++off > allowed) {
                return false;
            }
        }
        return true;
    }

    private static float[] row(GreyPlane g, int y, int x0, int x1) {
        return Arrays.copyOfRange(g.values, y * g.width + x0, y * g.width + x1);
    }

    private static float[] column(GreyPlane g, int x, int y0, int y1) {
        float[] c = new float[y1 - y0];
        for (int y = y0; y < y1; y++) {
            c[y - y0] = g.at(x, y);
        }
        return c;
    }

    private static float median(float[] line) {
        float[] sorted = line.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
