package io.brandscan.embedding.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Each variant on a real test image: its size, and a pixel property that a wrong edit would break. */
class ImageVariantsTest {

    private static final BufferedImage CHELSEA = TestImages.decoded("chelsea.png"); // 451x300
    private static final BufferedImage COFFEE = TestImages.decoded("coffee.png");

    @Test
    void resizeScalesBothSidesAndKeepsTheMeanColour() {
        BufferedImage half = ImageVariants.resize(CHELSEA, 0.5);
        assertEquals(Math.round(CHELSEA.getWidth() * 0.5), half.getWidth());
        assertEquals(Math.round(CHELSEA.getHeight() * 0.5), half.getHeight());
        assertEquals(meanLuma(CHELSEA), meanLuma(half), 2.0, "area averaging keeps the mean brightness");
        BufferedImage tiny = ImageVariants.resize(CHELSEA, 0.001);
        assertEquals(1, tiny.getWidth());
        assertEquals(1, tiny.getHeight());
        assertThrows(IllegalArgumentException.class, () -> ImageVariants.resize(CHELSEA, 0));
        assertThrows(IllegalArgumentException.class, () -> ImageVariants.resize(CHELSEA, Double.NaN));
    }

    @Test
    void jpegAtLowQualityIsSmallerAndFurtherFromTheOriginal() {
        byte[] q30 = ImageVariants.jpegBytes(COFFEE, 0.3f);
        byte[] q90 = ImageVariants.jpegBytes(COFFEE, 0.9f);
        assertEquals(ImageFormat.JPEG, ImageFormat.sniff(q30));
        assertTrue(q30.length < q90.length / 2, q30.length + " vs " + q90.length);
        BufferedImage back = ImageVariants.jpegRecompress(COFFEE, 0.3f);
        assertEquals(COFFEE.getWidth(), back.getWidth());
        assertEquals(COFFEE.getHeight(), back.getHeight());
        double err30 = meanAbsDiff(COFFEE, back);
        double err90 = meanAbsDiff(COFFEE, ImageVariants.jpegRecompress(COFFEE, 0.9f));
        assertTrue(err30 > err90 && err30 > 1 && err30 < 20, "q30 error " + err30 + ", q90 " + err90);
        assertThrows(IllegalArgumentException.class, () -> ImageVariants.jpegBytes(COFFEE, 1.5f));
    }

    @Test
    void centreCropKeepsTheMiddleAndCornerCropKeepsItsCorner() {
        BufferedImage centre = ImageVariants.crop(CHELSEA, 0.2, ImageVariants.Anchor.CENTRE);
        assertEquals(CHELSEA.getWidth() - Math.round(CHELSEA.getWidth() * 0.2), centre.getWidth());
        assertEquals(CHELSEA.getHeight() - 60, centre.getHeight());
        int dx = (CHELSEA.getWidth() - centre.getWidth()) / 2;
        assertEquals(CHELSEA.getRGB(dx + 5, 30 + 7), centre.getRGB(5, 7));
        BufferedImage topLeft = ImageVariants.crop(CHELSEA, 0.1, ImageVariants.Anchor.TOP_LEFT);
        assertEquals(CHELSEA.getRGB(0, 0), topLeft.getRGB(0, 0));
        assertEquals(270, topLeft.getHeight());
        BufferedImage bottomRight = ImageVariants.crop(CHELSEA, 0.1, ImageVariants.Anchor.BOTTOM_RIGHT);
        assertEquals(CHELSEA.getRGB(CHELSEA.getWidth() - 1, CHELSEA.getHeight() - 1),
                bottomRight.getRGB(bottomRight.getWidth() - 1, bottomRight.getHeight() - 1));
        assertThrows(IllegalArgumentException.class, () -> ImageVariants.crop(CHELSEA, 1.0, ImageVariants.Anchor.CENTRE));
        assertThrows(IllegalArgumentException.class, () -> ImageVariants.crop(CHELSEA, -0.1, ImageVariants.Anchor.CENTRE));
    }

    @Test
    void padAddsTheFractionOnEachSideInTheColour() {
        BufferedImage padded = ImageVariants.pad(CHELSEA, 0.2, Color.RED);
        int dx = (int) Math.round(CHELSEA.getWidth() * 0.2);
        assertEquals(CHELSEA.getWidth() + 2 * dx, padded.getWidth());
        assertEquals(CHELSEA.getHeight() + 2 * 60, padded.getHeight());
        assertEquals(0xFF0000, padded.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFF0000, padded.getRGB(padded.getWidth() - 1, padded.getHeight() - 1) & 0xFFFFFF);
        assertEquals(CHELSEA.getRGB(10, 10), padded.getRGB(dx + 10, 60 + 10));
    }

    @Test
    void watermarkBrightensSomePixelsInTheLowerPartOnly() {
        BufferedImage marked = ImageVariants.watermark(COFFEE, "BEST PRICE shop.example");
        assertEquals(COFFEE.getWidth(), marked.getWidth());
        int changedTop = 0;
        int changedBottom = 0;
        int brighter = 0;
        for (int y = 0; y < COFFEE.getHeight(); y++) {
            for (int x = 0; x < COFFEE.getWidth(); x++) {
                if (COFFEE.getRGB(x, y) != marked.getRGB(x, y)) {
                    if (y < COFFEE.getHeight() / 2) {
                        changedTop++;
                    } else {
                        changedBottom++;
                        brighter += luma(marked.getRGB(x, y)) > luma(COFFEE.getRGB(x, y)) ? 1 : 0;
                    }
                }
            }
        }
        assertEquals(0, changedTop);
        assertTrue(changedBottom > 1000, "text pixels: " + changedBottom);
        assertTrue(brighter > changedBottom * 0.9, "white text brightens: " + brighter + " of " + changedBottom);
        assertEquals(0, meanAbsDiff(COFFEE, ImageVariants.watermark(COFFEE, " ")), "blank text changes nothing");
    }

    @Test
    void mirrorSwapsLeftAndRightAndTwiceIsIdentity() {
        BufferedImage m = ImageVariants.mirror(CHELSEA);
        int w = CHELSEA.getWidth();
        assertEquals(CHELSEA.getRGB(0, 17), m.getRGB(w - 1, 17));
        assertEquals(CHELSEA.getRGB(100, 200), m.getRGB(w - 101, 200));
        assertEquals(0, meanAbsDiff(CHELSEA, ImageVariants.mirror(m)));
    }

    @Test
    void rotationKeepsTheCanvasFillsTheCornersAndKeepsTheCentre() {
        BufferedImage r = ImageVariants.rotate(COFFEE, 5, Color.WHITE);
        assertEquals(COFFEE.getWidth(), r.getWidth());
        assertEquals(COFFEE.getHeight(), r.getHeight());
        assertEquals(0xFFFFFF, r.getRGB(0, r.getHeight() - 1) & 0xFFFFFF, "an uncovered corner is background");
        int cx = r.getWidth() / 2;
        int cy = r.getHeight() / 2;
        assertTrue(Math.abs(luma(r.getRGB(cx, cy)) - luma(COFFEE.getRGB(cx, cy))) < 30, "the centre stays put");
        assertTrue(meanAbsDiff(COFFEE, r) > 5, "but the image did turn");
        assertThrows(IllegalArgumentException.class, () -> ImageVariants.rotate(COFFEE, Double.NaN, Color.WHITE));
    }

    @Test
    void brightnessAndContrastMoveEveryChannelAsStated() {
        BufferedImage bright = ImageVariants.brightness(COFFEE, 1.25);
        int p = COFFEE.getRGB(50, 50);
        int q = bright.getRGB(50, 50);
        assertEquals(Math.min(255, Math.round((p >> 8 & 0xFF) * 1.25)), q >> 8 & 0xFF);
        assertTrue(meanLuma(bright) > meanLuma(COFFEE) + 10);
        BufferedImage contrast = ImageVariants.contrast(COFFEE, 1.3);
        assertTrue(lumaSpread(contrast) > lumaSpread(COFFEE) * 1.15, "contrast widens the spread");
        BufferedImage flat = ImageVariants.contrast(COFFEE, 0);
        assertEquals(0x808080, flat.getRGB(3, 3) & 0xFFFFFF, "zero contrast is mid-grey");
        assertThrows(IllegalArgumentException.class, () -> ImageVariants.brightness(COFFEE, -1));
    }

    @Test
    void greyscaleHasEqualChannelsAndKeepsLuma() {
        BufferedImage g = ImageVariants.greyscale(COFFEE);
        for (int y = 0; y < g.getHeight(); y += 37) {
            for (int x = 0; x < g.getWidth(); x += 41) {
                int v = g.getRGB(x, y);
                assertEquals(v >> 16 & 0xFF, v >> 8 & 0xFF);
                assertEquals(v >> 8 & 0xFF, v & 0xFF);
                assertEquals(luma(COFFEE.getRGB(x, y)), v & 0xFF, 1.0);
            }
        }
    }

    @Test
    void variantsNeverChangeTheirInput() {
        BufferedImage before = TestImages.copy(CHELSEA);
        ImageVariants.greyscale(CHELSEA);
        ImageVariants.brightness(CHELSEA, 2);
        ImageVariants.watermark(CHELSEA, "x");
        assertNotSame(CHELSEA, ImageVariants.mirror(CHELSEA));
        assertEquals(0, meanAbsDiff(before, CHELSEA));
    }

    private static double luma(int rgb) {
        return 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
    }

    private static double meanLuma(BufferedImage img) {
        double sum = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                sum += luma(img.getRGB(x, y));
            }
        }
        return sum / (img.getWidth() * (double) img.getHeight());
    }

    private static double lumaSpread(BufferedImage img) {
        double mean = meanLuma(img);
        double sum = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                double d = luma(img.getRGB(x, y)) - mean;
                sum += d * d;
            }
        }
        return Math.sqrt(sum / (img.getWidth() * (double) img.getHeight()));
    }

    private static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                sum += Math.abs(luma(a.getRGB(x, y)) - luma(b.getRGB(x, y)));
            }
        }
        return sum / (a.getWidth() * (double) a.getHeight());
    }
}
