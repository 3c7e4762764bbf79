package io.brandscan.demo;

import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageVariants;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders demo photos: decodes the bundled source photos ({@code /demo/images/} on the class
 * path) once each, applies a listing's {@link DemoEdit} and encodes the result as JPEG. Only the
 * bundled sources can be named, so the decoded-source cache is bounded by their number.
 *
 * <p>Blocking CPU work (decode, edit, encode: tens of milliseconds a photo): call from a worker
 * thread, never an event loop. Thread-safe.
 */
public final class DemoImages {
    /** Where the source photos live on the class path (demo/images in the source tree). */
    public static final String RESOURCE_DIR = "/demo/images/";
    /** JPEG quality of served listing photos: a typical marketplace's. */
    static final float LISTING_QUALITY = 0.9f;
    /** JPEG quality of the brand's reference photos: the brand's own, near-lossless. */
    static final float REFERENCE_QUALITY = 0.95f;

    private final ImageDecoder decoder = ImageDecoder.withDefaults();
    private final Map<String, BufferedImage> sources = new ConcurrentHashMap<>();

    /** A listing's photo as JPEG bytes. */
    public byte[] render(DemoImage image) {
        Objects.requireNonNull(image, "image");
        return ImageVariants.jpegBytes(image.edit().apply(source(image.source())), LISTING_QUALITY);
    }

    /** The brand's reference photo {@code n} ({@link DemoBrand#PRODUCTS} order) as JPEG bytes. */
    public byte[] reference(int n) {
        if (n < 0 || n >= DemoBrand.PRODUCTS.size()) {
            throw new IllegalArgumentException("no reference photo " + n + "; there are " + DemoBrand.PRODUCTS.size());
        }
        return ImageVariants.jpegBytes(source(DemoBrand.referencePhoto(n)), REFERENCE_QUALITY);
    }

    /** A bundled source photo, decoded (shared: callers must not draw on it; the edits copy). */
    public BufferedImage source(String name) {
        return sources.computeIfAbsent(name, this::load);
    }

    private BufferedImage load(String name) {
        if (name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("not a bundled photo name: " + name);
        }
        try (InputStream in = DemoImages.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no bundled demo photo " + name + " under " + RESOURCE_DIR);
            }
            return decoder.decode(in.readAllBytes()).image();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
