package io.brandscan.embedding.model;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** The public-domain sample images in src/test/resources/images, decoded with ImageIO. */
public final class TestImages {

    public static final List<String> NAMES = List.of("astronaut.png", "brick.png", "camera.png", "chelsea.png",
            "coffee.png", "coins.png", "grass.png", "gravel.png", "hubble_deep_field.jpg", "moon.png", "rocket.jpg");

    private TestImages() {
    }

    public static BufferedImage load(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test image " + name);
            }
            BufferedImage image = ImageIO.read(in);
            if (image == null) {
                throw new IllegalArgumentException("ImageIO cannot decode " + name);
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, BufferedImage> all() {
        Map<String, BufferedImage> map = new LinkedHashMap<>();
        NAMES.forEach(n -> map.put(n, load(n)));
        return map;
    }

    /** A copy scaled by {@code factor} with smooth (area-averaging) scaling, like a re-upload would be. */
    public static BufferedImage scaled(BufferedImage image, double factor) {
        int w = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int h = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image.getScaledInstance(w, h, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return out;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    public static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
