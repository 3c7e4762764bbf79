package io.brandscan.bench;

import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageVariants;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The near-duplicate set of the image quality benchmarks (issue 3): every test image is a
 * reference; every test image and every transformed copy of it is a candidate. A pair is
 * positive when the candidate derives from the reference, negative otherwise (the other images
 * and their copies are the distractors). Copies travel as JPEG at quality 0.92, as listing photos
 * do, except the JPEG and WebP transforms, which are their own encodings.
 *
 * <p>WebP has no Java encoder: it shells out to Debian's {@code cwebp} (package {@code webp}).
 * When cwebp is missing the transform is skipped with a note on stderr (the bench scripts try to
 * install it first).
 */
final class NearDuplicates {
    static final Path IMAGES = Path.of("src/test/resources/images");

    record Candidate(String source, String transform, byte[] bytes, BufferedImage image) {
    }

    final List<String> names;
    final Map<String, byte[]> originalBytes = new LinkedHashMap<>();
    final Map<String, BufferedImage> originals = new LinkedHashMap<>();
    final List<Candidate> candidates = new ArrayList<>();
    final List<String> transforms = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    private NearDuplicates(List<String> names) {
        this.names = names;
    }

    /** Decodes the test images and builds every candidate of the transforms (and WebP). */
    static NearDuplicates build() throws IOException {
        return build(transforms(), true);
    }

    /** Decodes the test images and builds every candidate of the given transforms. */
    static NearDuplicates build(Map<String, UnaryOperator<BufferedImage>> chosen, boolean withWebp) throws IOException {
        List<String> names;
        try (var files = Files.list(IMAGES)) {
            names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".png") || n.endsWith(".jpg")).sorted().toList();
        }
        NearDuplicates set = new NearDuplicates(names);
        ImageDecoder decoder = ImageDecoder.withDefaults();
        for (String n : names) {
            set.originalBytes.put(n, Files.readAllBytes(IMAGES.resolve(n)));
            set.originals.put(n, decoder.decode(set.originalBytes.get(n)).image());
        }
        boolean webp = withWebp && cwebpAvailable();
        if (withWebp && !webp) {
            set.notes.add("WebP skipped: cwebp not found (apt-get install -y webp)");
            System.err.println("note: " + set.notes.get(0));
        }
        set.transforms.add("original");
        set.transforms.addAll(chosen.keySet());
        if (webp) {
            set.transforms.add(3, "WebP q75");
        }
        for (String n : names) {
            BufferedImage original = set.originals.get(n);
            set.candidates.add(new Candidate(n, "original", set.originalBytes.get(n), original));
            for (var t : chosen.entrySet()) {
                byte[] encoded = t.getKey().equals("JPEG q30")
                        ? ImageVariants.jpegBytes(original, 0.3f)
                        : ImageVariants.jpegBytes(t.getValue().apply(original), 0.92f);
                set.candidates.add(new Candidate(n, t.getKey(), encoded, decoder.decode(encoded).image()));
            }
            if (webp) {
                byte[] encoded = cwebp(original, 75);
                set.candidates.add(new Candidate(n, "WebP q75", encoded, decoder.decode(encoded).image()));
            }
        }
        return set;
    }

    boolean positive(String reference, Candidate c) {
        return c.source().equals(reference);
    }

    /** The transforms issue 3 asks for, in table order, written with {@link ImageVariants}. */
    static Map<String, UnaryOperator<BufferedImage>> transforms() {
        Map<String, UnaryOperator<BufferedImage>> t = new LinkedHashMap<>();
        t.put("resize 50%", i -> ImageVariants.resize(i, 0.5));
        t.put("resize 25%", i -> ImageVariants.resize(i, 0.25));
        t.put("JPEG q30", i -> ImageVariants.jpegRecompress(i, 0.3f));
        t.put("crop 10%", i -> ImageVariants.crop(i, 0.10, ImageVariants.Anchor.CENTRE));
        t.put("crop 20%", i -> ImageVariants.crop(i, 0.20, ImageVariants.Anchor.CENTRE));
        t.put("corner crop 10%", i -> ImageVariants.crop(i, 0.10, ImageVariants.Anchor.TOP_LEFT));
        t.put("pad 20% white", i -> ImageVariants.pad(i, 0.2, Color.WHITE));
        t.put("pad 20% black", i -> ImageVariants.pad(i, 0.2, Color.BLACK));
        t.put("watermark", i -> ImageVariants.watermark(i, "BEST PRICE shop.example"));
        t.put("mirror", ImageVariants::mirror);
        t.put("rotate 5 deg", i -> ImageVariants.rotate(i, 5, Color.WHITE));
        t.put("brightness +25%", i -> ImageVariants.brightness(i, 1.25));
        t.put("contrast +30%", i -> ImageVariants.contrast(i, 1.3));
        t.put("greyscale", ImageVariants::greyscale);
        return t;
    }

    /**
     * Edits that played no part in calibrating image_score: other crop sizes and corners, other
     * angles, darker, combined edits. They show whether the calibrated lines carry over.
     */
    static Map<String, UnaryOperator<BufferedImage>> heldOutTransforms() {
        Map<String, UnaryOperator<BufferedImage>> t = new LinkedHashMap<>();
        t.put("crop 15%", i -> ImageVariants.crop(i, 0.15, ImageVariants.Anchor.CENTRE));
        t.put("corner crop 20% (bottom right)", i -> ImageVariants.crop(i, 0.20, ImageVariants.Anchor.BOTTOM_RIGHT));
        t.put("rotate -3 deg", i -> ImageVariants.rotate(i, -3, Color.WHITE));
        t.put("rotate 8 deg", i -> ImageVariants.rotate(i, 8, Color.WHITE));
        t.put("brightness -20%", i -> ImageVariants.brightness(i, 0.8));
        t.put("resize 33% + JPEG q50", i -> ImageVariants.jpegRecompress(ImageVariants.resize(i, 0.33), 0.5f));
        t.put("pad 10% grey + watermark", i -> ImageVariants.watermark(
                ImageVariants.pad(i, 0.1, new Color(0xF0F0F0)), "SALE -70%"));
        t.put("crop 10% + mirror + greyscale", i -> ImageVariants.greyscale(ImageVariants.mirror(
                ImageVariants.crop(i, 0.10, ImageVariants.Anchor.CENTRE))));
        return t;
    }

    static boolean cwebpAvailable() {
        try {
            Process p = new ProcessBuilder("cwebp", "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Lossy WebP at {@code quality} (0..100) through cwebp, via temporary PNG/WebP files. */
    static byte[] cwebp(BufferedImage image, int quality) throws IOException {
        Path png = Files.createTempFile("brandscan-bench", ".png");
        Path webp = Files.createTempFile("brandscan-bench", ".webp");
        try {
            javax.imageio.ImageIO.write(image, "png", png.toFile());
            Process p = new ProcessBuilder("cwebp", "-quiet", "-q", Integer.toString(quality), png.toString(),
                    "-o", webp.toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("cwebp failed: " + output);
            }
            return Files.readAllBytes(webp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for cwebp", e);
        } finally {
            Files.deleteIfExists(png);
            Files.deleteIfExists(webp);
        }
    }
}
