package io.brandscan.embedding.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GreyPlane reads packed int rasters directly instead of through getRGB: the plane must be the
 * same float for float as the getRGB reading, for every image type, or every stored hash shifts.
 */
class GreyPlaneTest {
    /** The reference: the plain getRGB reading GreyPlane.of used before its fast path. */
    private static float[] viaGetRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                v[y * w + x] = 0.299f * (p >> 16 & 0xFF) + 0.587f * (p >> 8 & 0xFF) + 0.114f * (p & 0xFF);
            }
        }
        return v;
    }

    private static BufferedImage noise(int type, int w, int h, long seed) {
        BufferedImage image = new BufferedImage(w, h, type);
        Random random = new Random(seed);
        BufferedImage argb = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                argb.setRGB(x, y, random.nextInt());
            }
        }
        Graphics2D g = image.createGraphics();
        g.drawImage(argb, 0, 0, null);
        g.dispose();
        return image;
    }

    @Test
    void everyImageTypeGivesTheSamePlaneAsGetRgb() {
        int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR,
                BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_ARGB_PRE, BufferedImage.TYPE_4BYTE_ABGR};
        for (int type : types) {
            BufferedImage image = noise(type, 67, 41, type);
            GreyPlane plane = GreyPlane.of(image);
            assertEquals(67, plane.width);
            assertEquals(41, plane.height);
            assertArrayEquals(viaGetRgb(image), plane.values, 0f, "image type " + type);
        }
    }

    @Test
    void aSubImageIsReadFromItsOwnOrigin() {
        BufferedImage whole = noise(BufferedImage.TYPE_INT_RGB, 90, 70, 7);
        BufferedImage part = whole.getSubimage(13, 9, 40, 30);
        assertArrayEquals(viaGetRgb(part), GreyPlane.of(part).values, 0f);
    }

    @Test
    void aPictureOverTheSideLimitIsBlockAveragedFromTheSameReading() {
        // 2100 x 90: k = 3, so 700 x 30 cells, each the mean of a 3 x 3 block of getRGB lumas.
        BufferedImage wide = noise(BufferedImage.TYPE_INT_RGB, 2100, 90, 11);
        float[] luma = viaGetRgb(wide);
        GreyPlane plane = GreyPlane.of(wide);
        assertEquals(700, plane.width);
        assertEquals(30, plane.height);
        for (int cy = 0; cy < 30; cy += 7) {
            for (int cx = 0; cx < 700; cx += 97) {
                float sum = 0;
                for (int y = cy * 3; y < cy * 3 + 3; y++) {
                    for (int x = cx * 3; x < cx * 3 + 3; x++) {
                        sum += luma[y * 2100 + x];
                    }
                }
                assertEquals(sum / 9f, plane.at(cx, cy), 1e-3f, "cell " + cx + "," + cy);
            }
        }
    }

    @Test
    void aDecodedPhotoHashesAsBefore() throws Exception {
        BufferedImage photo = ImageDecoder.withDefaults().decode(TestImages.bytes("chelsea.png")).image();
        assertArrayEquals(viaGetRgb(photo), GreyPlane.of(photo).values, 0f);
    }
    /**
     * The reference resample: one average at a time, each a single chain of float adds, as
     * GreyPlane.resample computed it before it ran four chains side by side. Stored fingerprints
     * were made this way, so the fast resample must give the same floats.
     */
    private static float[] resampleOneChainAtATime(GreyPlane g, int x0, int y0, int x1, int y1, int tw, int th) {
        int rw = x1 - x0;
        int rh = y1 - y0;
        float[] horizontal = new float[rh * tw];
        for (int y = 0; y < rh; y++) {
            for (int t = 0; t < tw; t++) {
                horizontal[y * tw + t] = boxAverage(g.values, (y0 + y) * g.width + x0, 1, rw, tw, t);
            }
        }
        float[] out = new float[tw * th];
        for (int t = 0; t < th; t++) {
            for (int x = 0; x < tw; x++) {
                out[t * tw + x] = boxAverage(horizontal, x, tw, rh, th, t);
            }
        }
        return out;
    }

    /** Output cell t of source length n resampled to m: the covered pixels, fractions weighted. */
    private static float boxAverage(float[] data, int base, int stride, int n, int m, int t) {
        double scale = (double) n / m;
        double start = t * scale;
        double end = (t + 1) * scale;
        int first = (int) Math.floor(start);
        int last = Math.min(n - 1, (int) Math.ceil(end) - 1);
        float sum = 0;
        for (int s = first; s <= last; s++) {
            float weight = (float) (Math.min(s + 1, end) - Math.max(s, start));
            sum += weight * data[base + s * stride];
        }
        return sum / (float) (end - start);
    }

    @Test
    void theResampleGivesTheSameFloatsAsOneChainAtATime() {
        Random random = new Random(42);
        int[][] targets = {{8, 8}, {9, 8}, {32, 32}, {3, 2}, {1, 1}, {5, 7}};
        for (int round = 0; round < 60; round++) {
            int w = 1 + random.nextInt(round < 10 ? 12 : 700);
            int h = 1 + random.nextInt(round < 10 ? 12 : 500);
            float[] values = new float[w * h];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextFloat() * 255f;
            }
            GreyPlane plane = new GreyPlane(w, h, values);
            int x0 = random.nextInt(w);
            int y0 = random.nextInt(h);
            int x1 = x0 + 1 + random.nextInt(w - x0);
            int y1 = y0 + 1 + random.nextInt(h - y0);
            for (int[] target : targets) {
                GreyPlane fast = plane.resample(x0, y0, x1, y1, target[0], target[1]);
                assertArrayEquals(resampleOneChainAtATime(plane, x0, y0, x1, y1, target[0], target[1]), fast.values,
                        0f, "plane " + w + "x" + h + ", region " + x0 + "," + y0 + "-" + x1 + "," + y1 + ", target "
                                + target[0] + "x" + target[1]);
            }
        }
    }
}
