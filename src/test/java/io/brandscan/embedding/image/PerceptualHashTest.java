package io.brandscan.embedding.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PerceptualHashTest {

    @Test
    void hammingDistanceCountsDifferingBits() {
        assertEquals(0, PerceptualHash.distance(0L, 0L));
        assertEquals(64, PerceptualHash.distance(0L, -1L));
        assertEquals(2, PerceptualHash.distance(0b1011L, 0b0001L));
        assertEquals(1, PerceptualHash.distance(Long.MIN_VALUE, 0L));
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            long a = random.nextLong();
            long b = random.nextLong();
            int naive = 0;
            for (int bit = 0; bit < 64; bit++) {
                naive += ((a >>> bit) & 1) != ((b >>> bit) & 1) ? 1 : 0;
            }
            assertEquals(naive, PerceptualHash.distance(a, b));
            assertEquals(PerceptualHash.distance(b, a), PerceptualHash.distance(a, b));
        }
    }

    @Test
    void aHashMarksCellsBrighterThanTheMeanRowMajorFromTheTopBit() {
        // Left half white, right half black: every row reads 11110000.
        BufferedImage halves = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = halves.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 32, 64);
        g.dispose();
        assertEquals(0xF0F0F0F0F0F0F0F0L, PerceptualHash.aHash(halves));
        // Top half white: the first four rows are all ones.
        BufferedImage top = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        g = top.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 64, 32);
        g.dispose();
        assertEquals(0xFFFFFFFF00000000L, PerceptualHash.aHash(top));
    }

    @Test
    void dHashMarksCellsBrighterThanTheirLeftNeighbour() {
        assertEquals(-1L, PerceptualHash.dHash(horizontalRamp(90, 30, true)), "brightening to the right: all ones");
        assertEquals(0L, PerceptualHash.dHash(horizontalRamp(90, 30, false)), "darkening to the right: all zeros");
    }

    @Test
    void pHashNeverSetsTheDcBitAndIgnoresUniformContrastChanges() {
        for (String name : TestImages.ORIGINALS) {
            BufferedImage image = TestImages.decoded(name);
            long hash = PerceptualHash.pHash(image);
            assertEquals(0L, hash & Long.MIN_VALUE, name + ": DC bit");
            assertTrue(Long.bitCount(hash) >= 25 && Long.bitCount(hash) <= 32,
                    name + ": about half the 63 AC bits are above their median, got " + Long.bitCount(hash));
            // The DCT is linear, so halving every grey level keeps the coefficients' order.
            assertTrue(PerceptualHash.distance(hash, PerceptualHash.pHash(scaled(image, 0.5))) <= 2, name);
        }
    }

    @Test
    void flatImagesHashToZeroInsteadOfRoundingNoise() {
        for (Color c : new Color[] {Color.GRAY, Color.WHITE, new Color(13, 200, 77)}) {
            BufferedImage flat = solid(333, 71, c); // awkward size: averages end in rounding noise
            assertEquals(0L, PerceptualHash.aHash(flat), c + " aHash");
            assertEquals(0L, PerceptualHash.dHash(flat), c + " dHash");
            assertEquals(0L, PerceptualHash.pHash(flat), c + " pHash");
        }
    }

    @Test
    void hashesAreDeterministicAcrossDecodes() {
        for (String name : TestImages.ORIGINALS) {
            BufferedImage first = TestImages.decoded(name);
            BufferedImage second = TestImages.decoded(name);
            assertEquals(PerceptualHash.aHash(first), PerceptualHash.aHash(second), name);
            assertEquals(PerceptualHash.dHash(first), PerceptualHash.dHash(second), name);
            assertEquals(PerceptualHash.pHash(first), PerceptualHash.pHash(second), name);
        }
    }

    @Test
    void differentTestImagesHaveDifferentHashes() {
        for (String a : TestImages.ORIGINALS) {
            for (String b : TestImages.ORIGINALS) {
                if (a.compareTo(b) < 0) {
                    BufferedImage x = TestImages.decoded(a);
                    BufferedImage y = TestImages.decoded(b);
                    assertNotEquals(PerceptualHash.pHash(x), PerceptualHash.pHash(y), a + " vs " + b);
                    assertTrue(PerceptualHash.distance(PerceptualHash.dHash(x), PerceptualHash.dHash(y)) >= 12,
                            a + " vs " + b);
                }
            }
        }
    }

    private static BufferedImage horizontalRamp(int w, int h, boolean brightening) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < w; x++) {
            int v = (int) Math.round(255.0 * (brightening ? x : w - 1 - x) / (w - 1));
            for (int y = 0; y < h; y++) {
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return img;
    }

    private static BufferedImage scaled(BufferedImage src, double factor) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int p = src.getRGB(x, y);
                int r = (int) Math.round((p >> 16 & 0xFF) * factor);
                int g = (int) Math.round((p >> 8 & 0xFF) * factor);
                int b = (int) Math.round((p & 0xFF) * factor);
                out.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return out;
    }

    static BufferedImage solid(int w, int h, Color colour) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }
}
