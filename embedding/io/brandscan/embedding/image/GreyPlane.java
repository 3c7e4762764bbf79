package io.brandscan.embedding.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/**
 * A greyscale copy of an image as floats (ITU-R 601 luma, 0..255, the same weights as PIL's
 * "L" mode the seed's hashes used), plus the area-averaging resample the hashes are built on.
 * Package-private: the hashes' working surface, not an API.
 */
final class GreyPlane {
    final int width;
    final int height;
    final float[] values;

    GreyPlane(int width, int height, float[] values) {
        if (values.length != width * height) {
            throw new IllegalArgumentException("need " + width * height + " values, got " + values.length);
        }
        this.width = width;
        this.height = height;
        this.values = values;
    }

    /** Larger images are block-averaged below this on the way in: the hashes need 32x32. */
    static final int MAX_SIDE = 1024;

    /**
     * The grey plane of an image. Past {@link #MAX_SIDE} pixels on the longer side, k x k blocks
     * are averaged as they are read (k the smallest integer that brings the side under the
     * limit), so a 40 MP image costs a 4 MB plane, not 160 MB; the last width % k columns and
     * height % k rows are dropped, under 0.1% of the picture.
     */
    static GreyPlane of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int k = Math.max(1, (Math.max(w, h) + MAX_SIDE - 1) / MAX_SIDE);
        int ow = Math.max(1, w / k);
        int oh = Math.max(1, h / k);
        int usedW = Math.min(w, ow * k);
        int usedH = Math.min(h, oh * k);
        float[] v = new float[ow * oh];
        int[] row = new int[usedW];
        // BufferedImage.getRGB converts pixel by pixel through the colour model; for the packed
        // int layouts the decoder produces, the raster's own ints already are (A)RGB, so a row is
        // one array copy. Same ints, same sums: the plane is identical either way. This read was
        // half of the acquire phase's Java CPU time (bench/pipeline.sh under JFR).
        boolean packedRgb = image.getType() == BufferedImage.TYPE_INT_RGB
                || image.getType() == BufferedImage.TYPE_INT_ARGB;
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < usedH; y++) {
            if (packedRgb) {
                raster.getDataElements(0, y, usedW, 1, row);
            } else {
                image.getRGB(0, y, usedW, 1, row, 0, usedW);
            }
            int base = (y / k) * ow;
            if (k == 1) {
                // No block averaging: one store per pixel, no division (0f + luma is luma exactly).
                for (int x = 0; x < usedW; x++) {
                    int p = row[x];
                    v[base + x] = 0.299f * (p >> 16 & 0xFF) + 0.587f * (p >> 8 & 0xFF) + 0.114f * (p & 0xFF);
                }
                continue;
            }
            for (int x = 0; x < usedW; x++) {
                int p = row[x];
                v[base + x / k] += 0.299f * (p >> 16 & 0xFF) + 0.587f * (p >> 8 & 0xFF) + 0.114f * (p & 0xFF);
            }
        }
        if (k > 1) {
            float blocks = (float) (usedW / ow) * (usedH / oh);
            for (int i = 0; i < v.length; i++) {
                v[i] /= blocks;
            }
        }
        return new GreyPlane(ow, oh, v);
    }

    float at(int x, int y) {
        return values[y * width + x];
    }

    /**
     * The region [x0, x1) x [y0, y1) resampled to tw x th by area averaging: each output cell is
     * the exact mean of the source area it covers (fractional pixels weighted). A box filter
     * cannot alias the way point sampling does, and it is symmetric, so the resample of a
     * mirrored image is exactly the mirrored resample.
     */
    GreyPlane resample(int x0, int y0, int x1, int y1, int tw, int th) {
        int rw = x1 - x0;
        int rh = y1 - y0;
        if (rw <= 0 || rh <= 0 || tw <= 0 || th <= 0) {
            throw new IllegalArgumentException("empty region or target");
        }
        Span[] xs = spans(rw, tw);
        Span[] ys = spans(rh, th);
        // Each average is one chain of float adds, and a chain waits for its previous add, so
        // four chains run side by side: four rows in the horizontal pass, four columns in the
        // vertical one. Every average is still the same operations in the same order as one
        // Span.average call (the hashes keep every bit; GreyPlaneTest checks it against the
        // one-chain resample), but the CPU overlaps them: the resample was 44% of the acquire
        // pool's time in bench/pipeline.sh.
        float[] horizontal = new float[rh * tw];
        int y = 0;
        for (; y + 4 <= rh; y += 4) {
            int base = (y0 + y) * width + x0;
            for (int t = 0; t < tw; t++) {
                xs[t].average4(values, base, width, 1, horizontal, y * tw + t, tw);
            }
        }
        for (; y < rh; y++) {
            int base = (y0 + y) * width + x0;
            for (int t = 0; t < tw; t++) {
                horizontal[y * tw + t] = xs[t].average(values, base, 1);
            }
        }
        float[] out = new float[tw * th];
        for (int t = 0; t < th; t++) {
            int x = 0;
            for (; x + 4 <= tw; x += 4) {
                ys[t].average4(horizontal, x, 1, tw, out, t * tw + x, 1);
            }
            for (; x < tw; x++) {
                out[t * tw + x] = ys[t].average(horizontal, x, tw);
            }
        }
        return new GreyPlane(tw, th, out);
    }

    GreyPlane mirrored() {
        float[] out = new float[values.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + (width - 1 - x)] = values[y * width + x];
            }
        }
        return new GreyPlane(width, height, out);
    }

    private static Span[] spans(int source, int target) {
        Span[] spans = new Span[target];
        double scale = (double) source / target;
        for (int t = 0; t < target; t++) {
            double start = t * scale;
            double end = (t + 1) * scale;
            int first = (int) Math.floor(start);
            int last = Math.min(source - 1, (int) Math.ceil(end) - 1);
            float[] weights = new float[last - first + 1];
            for (int s = first; s <= last; s++) {
                weights[s - first] = (float) (Math.min(s + 1, end) - Math.max(s, start));
            }
            spans[t] = new Span(first, weights, (float) (end - start));
        }
        return spans;
    }

    /** The source pixels one output cell covers, with how much of each it covers. */
    private record Span(int first, float[] weights, float total) {
        float average(float[] data, int base, int stride) {
            float sum = 0;
            for (int i = 0; i < weights.length; i++) {
                sum += weights[i] * data[base + (first + i) * stride];
            }
            return sum / total;
        }

        /**
         * Four averages at once, of the series starting at {@code base}, {@code base + lane},
         * {@code base + 2 lane} and {@code base + 3 lane} (each stepping by {@code stride}),
         * written to {@code out[at]}, {@code out[at + step]}, ...: each exactly as
         * {@link #average} computes it.
         */
        void average4(float[] data, int base, int lane, int stride, float[] out, int at, int step) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int p = base + first * stride;
            for (float w : weights) {
                s0 += w * data[p];
                s1 += w * data[p + lane];
                s2 += w * data[p + 2 * lane];
                s3 += w * data[p + 3 * lane];
                p += stride;
            }
            out[at] = s0 / total;
            out[at + step] = s1 / total;
            out[at + 2 * step] = s2 / total;
            out[at + 3 * step] = s3 / total;
        }
    }
}
