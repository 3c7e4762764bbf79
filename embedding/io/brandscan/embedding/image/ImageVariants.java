package io.brandscan.embedding.image;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The near-duplicate edits a counterfeiter (or a marketplace's own pipeline) applies to a stolen
 * product photo: resizing, recompression, crops, padding, a watermark, mirroring, a small
 * rotation, brightness, contrast and greyscale. Used by the image-quality benchmark to build its
 * positives, by tests, and by the demo marketplace to make infringing listings.
 *
 * <p>Pure and static: every method returns a new TYPE_INT_RGB image and never changes its input.
 * Fractions are of the source's width and height. CPU work proportional to the pixel count: keep
 * it off event loops.
 */
public final class ImageVariants {

    /** Which part of the image a crop keeps. */
    public enum Anchor {
        /** Removes the fraction evenly from all four sides. */
        CENTRE,
        /** Keeps the top-left corner: the fraction comes off the right and bottom. */
        TOP_LEFT,
        /** Keeps the bottom-right corner: the fraction comes off the left and top. */
        BOTTOM_RIGHT
    }

    private ImageVariants() {
    }

    /** Scales both sides by {@code factor} (> 0) with area averaging, as thumbnailers do; at least 1x1. */
    public static BufferedImage resize(BufferedImage src, double factor) {
        Objects.requireNonNull(src, "src");
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("resize factor must be a positive number, got " + factor);
        }
        int w = Math.max(1, (int) Math.round(src.getWidth() * factor));
        int h = Math.max(1, (int) Math.round(src.getHeight() * factor));
        Image scaled = src.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING);
        BufferedImage out = blank(w, h);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(scaled, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The image encoded as a baseline JPEG at {@code quality} (0..1, 0.3 is heavy compression). */
    public static byte[] jpegBytes(BufferedImage src, float quality) {
        Objects.requireNonNull(src, "src");
        if (!(quality >= 0f && quality <= 1f)) {
            throw new IllegalArgumentException("JPEG quality must be in 0..1, got " + quality);
        }
        ImageWriter writer = jpegWriter();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
                writer.write(null, new IIOImage(copy(src), null, null), param);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** The image after a round trip through JPEG at {@code quality}: blocking and ringing artefacts. */
    public static BufferedImage jpegRecompress(BufferedImage src, float quality) {
        try {
            return copy(ImageIO.read(new ByteArrayInputStream(jpegBytes(src, quality))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes {@code fraction} (0 <= f < 1) of the width and of the height: split evenly between
     * the sides for {@link Anchor#CENTRE}, all from one side in each direction for the corners.
     */
    public static BufferedImage crop(BufferedImage src, double fraction, Anchor anchor) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(anchor, "anchor");
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("crop fraction must be in [0, 1), got " + fraction);
        }
        int w = src.getWidth();
        int h = src.getHeight();
        int cutX = (int) Math.round(w * fraction);
        int cutY = (int) Math.round(h * fraction);
        int keepW = Math.max(1, w - cutX);
        int keepH = Math.max(1, h - cutY);
        int x = switch (anchor) {
            case CENTRE -> (w - keepW) / 2;
            case TOP_LEFT -> 0;
            case BOTTOM_RIGHT -> w - keepW;
        };
        int y = switch (anchor) {
            case CENTRE -> (h - keepH) / 2;
            case TOP_LEFT -> 0;
            case BOTTOM_RIGHT -> h - keepH;
        };
        return copy(src.getSubimage(x, y, keepW, keepH));
    }

    /** Centres the image on a canvas of {@code colour}, adding {@code fraction} of its size on each side. */
    public static BufferedImage pad(BufferedImage src, double fraction, Color colour) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(colour, "colour");
        if (!(fraction >= 0 && fraction <= 10)) {
            throw new IllegalArgumentException("pad fraction must be in 0..10, got " + fraction);
        }
        int dx = (int) Math.round(src.getWidth() * fraction);
        int dy = (int) Math.round(src.getHeight() * fraction);
        BufferedImage out = blank(src.getWidth() + 2 * dx, src.getHeight() + 2 * dy);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(colour);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.drawImage(src, dx, dy, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Writes {@code text} in 60% opaque white bold letters a tenth of the image high, across the
     * lower part of the image, the way shops stamp their name on a stolen photo. The font shrinks
     * so the whole text fits the width.
     */
    public static BufferedImage watermark(BufferedImage src, String text) {
        Objects.requireNonNull(text, "text");
        BufferedImage out = copy(src);
        if (text.isBlank()) {
            return out;
        }
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
            g.setColor(Color.WHITE);
            int size = Math.max(8, out.getHeight() / 10);
            Font font = new Font(Font.SANS_SERIF, Font.BOLD, size);
            FontMetrics metrics = g.getFontMetrics(font);
            int width = metrics.stringWidth(text);
            int room = out.getWidth() * 8 / 10;
            if (width > room && width > 0) {
                font = font.deriveFont(Math.max(6f, size * room / (float) width));
                metrics = g.getFontMetrics(font);
            }
            g.setFont(font);
            g.drawString(text, out.getWidth() / 10, out.getHeight() * 3 / 4 + metrics.getAscent() / 2);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The horizontal mirror image (left and right swapped). */
    public static BufferedImage mirror(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage rgb = copy(src);
        BufferedImage out = blank(w, h);
        int[] row = new int[w];
        int[] flipped = new int[w];
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                flipped[w - 1 - x] = row[x];
            }
            out.setRGB(0, y, w, 1, flipped, 0, w);
        }
        return out;
    }

    /**
     * Rotates by {@code degrees} (clockwise on screen) about the centre, keeping the canvas size:
     * the corners that rotate out are lost and the uncovered corners are filled with
     * {@code background}. Bilinear interpolation.
     */
    public static BufferedImage rotate(BufferedImage src, double degrees, Color background) {
        Objects.requireNonNull(background, "background");
        if (!Double.isFinite(degrees)) {
            throw new IllegalArgumentException("rotation must be a finite number of degrees, got " + degrees);
        }
        BufferedImage out = blank(src.getWidth(), src.getHeight());
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(background);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, AffineTransform.getRotateInstance(Math.toRadians(degrees), src.getWidth() / 2.0,
                    src.getHeight() / 2.0), null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Multiplies every channel by {@code factor} (1.25 = 25% brighter), clamped to 0..255. */
    public static BufferedImage brightness(BufferedImage src, double factor) {
        requireFactor("brightness", factor);
        return pointwise(src, v -> v * factor);
    }

    /** Stretches every channel away from mid-grey 128 by {@code factor} (1.3 = 30% more contrast), clamped. */
    public static BufferedImage contrast(BufferedImage src, double factor) {
        requireFactor("contrast", factor);
        return pointwise(src, v -> (v - 128) * factor + 128);
    }

    /** ITU-R 601 luma in all three channels. */
    public static BufferedImage greyscale(BufferedImage src) {
        BufferedImage rgb = copy(src);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int v = clamp(0.299 * (p >> 16 & 0xFF) + 0.587 * (p >> 8 & 0xFF) + 0.114 * (p & 0xFF));
                row[x] = v << 16 | v << 8 | v;
            }
            rgb.setRGB(0, y, w, 1, row, 0, w);
        }
        return rgb;
    }

    private static void requireFactor(String what, double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException(what + " factor must be a finite number >= 0, got " + factor);
        }
    }

    private static BufferedImage pointwise(BufferedImage src, DoubleUnaryOperator f) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = clamp(f.applyAsDouble(v));
        }
        BufferedImage rgb = copy(src);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            rgb.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                row[x] = lut[p >> 16 & 0xFF] << 16 | lut[p >> 8 & 0xFF] << 8 | lut[p & 0xFF];
            }
            rgb.setRGB(0, y, w, 1, row, 0, w);
        }
        return rgb;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** A fresh TYPE_INT_RGB copy (alpha, if any, composited over black as Java 2D does). */
    private static BufferedImage copy(BufferedImage src) {
        Objects.requireNonNull(src, "src");
        BufferedImage out = blank(src.getWidth(), src.getHeight());
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage blank(int w, int h) {
        return new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    }

    /** The JDK's own JPEG writer: deterministic output, unlike whichever plugin is found first. */
    private static ImageWriter jpegWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter chosen = null;
        while (writers.hasNext()) {
            ImageWriter w = writers.next();
            if (chosen == null || w.getClass().getName().startsWith("com.sun.imageio")) {
                if (chosen != null) {
                    chosen.dispose();
                }
                chosen = w;
            } else {
                w.dispose();
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("no JPEG writer on the classpath");
        }
        return chosen;
    }
}
