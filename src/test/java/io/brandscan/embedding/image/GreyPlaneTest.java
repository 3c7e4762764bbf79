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
}
