package io.brandscan.embedding.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layout and normalisation on images whose every pixel value is known. */
class ImagePreprocessorTest {

    private static final int R = 200;
    private static final int G = 100;
    private static final int B = 50;

    private static BufferedImage solid(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(R, G, B));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    private static EmbeddingModelSpec spec(String layout, String order) {
        return EmbeddingModelSpec.fromMap(java.util.Map.of("input_width", 4, "input_height", 2,
                "channel_layout", layout, "colour_order", order, "scale", 1.0,
                "mean", List.of(10, 20, 30), "std", List.of(2, 4, 5)));
    }

    @Test
    void nchwRgbPutsWholePlanesPerChannelAndNormalises() {
        ImagePreprocessor p = new ImagePreprocessor(spec("NCHW", "RGB"));
        assertArrayEquals(new long[] {2, 3, 2, 4}, p.shape(2));
        float[] t = p.toTensor(List.of(solid(40, 20), solid(4, 2)));
        assertEquals(2 * 3 * 8, t.length);
        for (int img = 0; img < 2; img++) {
            for (int i = 0; i < 8; i++) {
                assertEquals((R - 10) / 2f, t[img * 24 + i], 1e-4);
                assertEquals((G - 20) / 4f, t[img * 24 + 8 + i], 1e-4);
                assertEquals((B - 30) / 5f, t[img * 24 + 16 + i], 1e-4);
            }
        }
    }

    @Test
    void nhwcBgrInterleavesChannelsInBgrOrder() {
        ImagePreprocessor p = new ImagePreprocessor(spec("NHWC", "BGR"));
        assertArrayEquals(new long[] {1, 2, 4, 3}, p.shape(1));
        float[] t = p.toTensor(List.of(solid(7, 3)));
        for (int px = 0; px < 8; px++) {
            assertEquals((B - 10) / 2f, t[px * 3], 1e-4);
            assertEquals((G - 20) / 4f, t[px * 3 + 1], 1e-4);
            assertEquals((R - 30) / 5f, t[px * 3 + 2], 1e-4);
        }
    }

    @Test
    void transparentPixelsBecomeWhite() {
        ImagePreprocessor p = new ImagePreprocessor(EmbeddingModelSpec.defaults());
        float[] t = p.toTensor(List.of(new BufferedImage(500, 300, BufferedImage.TYPE_INT_ARGB)));
        for (float v : t) {
            assertEquals(1f, v, 1e-6);
        }
    }

    @Test
    void rowsStayInPlaceWhenResizing() {
        // top half red, bottom half blue, on a large image: the halving steps must keep rows apart
        BufferedImage image = new BufferedImage(1000, 800, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 1000, 400);
        g.setColor(Color.BLUE);
        g.fillRect(0, 400, 1000, 400);
        g.dispose();
        ImagePreprocessor p = new ImagePreprocessor(EmbeddingModelSpec.defaults());
        float[] t = p.toTensor(List.of(image));
        int plane = 224 * 224;
        assertEquals(1f, t[0], 1e-6); // red channel, top-left
        assertEquals(0f, t[2 * plane], 1e-6); // blue channel, top-left
        assertEquals(0f, t[plane - 1], 1e-6); // red channel, bottom-right
        assertEquals(1f, t[3 * plane - 1], 1e-6); // blue channel, bottom-right
    }
}
