package io.brandscan.bench;

import io.brandscan.embedding.image.DecodedImage;
import io.brandscan.embedding.image.HashDistances;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.image.PerceptualHash;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntBiFunction;
import java.util.function.UnaryOperator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Measures the perceptual hashes (it does not assert). Every test image is a reference; every
 * image and every transformed copy of every image is a candidate. A pair is positive when the
 * candidate derives from the reference. For each hash, the distance threshold is the largest
 * one whose precision over all pairs is at least 0.999; the table gives the recall per
 * transform at that threshold. The seed's hashes are the plain aHash and pHash of the whole
 * image; brandscan's are {@link ImageFingerprint#distance} (border trimming and mirror).
 */
public final class ImageHashBench {
    private static final Path IMAGES = Path.of("src/test/resources/images");
    private static final double PRECISION = 0.999;

    record Candidate(String source, String transform, byte[] bytes, BufferedImage image) {
    }

    record Scored(String source, String transform, String reference, int distance) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length == 2 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 5;
        List<String> names;
        try (var files = Files.list(IMAGES)) {
            names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".png") || n.endsWith(".jpg")).sorted().toList();
        }
        ImageDecoder decoder = ImageDecoder.withDefaults();
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        Map<String, BufferedImage> originals = new LinkedHashMap<>();
        for (String n : names) {
            bytes.put(n, Files.readAllBytes(IMAGES.resolve(n)));
            originals.put(n, decoder.decode(bytes.get(n)).image());
        }
        List<Candidate> candidates = new ArrayList<>();
        for (String n : names) {
            candidates.add(new Candidate(n, "original", bytes.get(n), originals.get(n)));
            for (var t : transforms().entrySet()) {
                BufferedImage copy = t.getValue().apply(originals.get(n));
                byte[] encoded = jpeg(copy, 0.92f); // copies travel as JPEG, as listing photos do
                candidates.add(new Candidate(n, t.getKey(), encoded, decoder.decode(encoded).image()));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("## Perceptual hashes: recall at precision ").append(PRECISION).append("\n\n");
        out.append(quality(names, originals, candidates));
        out.append("\n## Speed (ratios measured in the same run, ").append(rounds).append(" rounds)\n\n");
        out.append(speed(names, bytes, originals, decoder, rounds));
        System.out.print(out);
        Files.createDirectories(Path.of("bench/results"));
        Files.writeString(Path.of("bench/results/image-hashes.md"), out.toString());
    }

    private static String quality(List<String> names, Map<String, BufferedImage> originals, List<Candidate> candidates) {
        Map<String, ImageFingerprint> refPrints = new LinkedHashMap<>();
        Map<String, long[]> refPlain = new LinkedHashMap<>();
        originals.forEach((n, img) -> {
            refPrints.put(n, ImageFingerprint.of(img));
            refPlain.put(n, new long[] {PerceptualHash.aHash(img), PerceptualHash.pHash(img)});
        });
        List<ImageFingerprint> candPrints = new ArrayList<>();
        List<long[]> candPlain = new ArrayList<>();
        for (Candidate c : candidates) {
            candPrints.add(ImageFingerprint.of(c.image()));
            candPlain.add(new long[] {PerceptualHash.aHash(c.image()), PerceptualHash.pHash(c.image())});
        }
        Map<String, ToIntBiFunction<String, Integer>> methods = new LinkedHashMap<>();
        methods.put("seed aHash", (ref, i) -> PerceptualHash.distance(refPlain.get(ref)[0], candPlain.get(i)[0]));
        methods.put("seed pHash", (ref, i) -> PerceptualHash.distance(refPlain.get(ref)[1], candPlain.get(i)[1]));
        methods.put("aHash", (ref, i) -> refPrints.get(ref).distance(candPrints.get(i)).aHash());
        methods.put("dHash", (ref, i) -> refPrints.get(ref).distance(candPrints.get(i)).dHash());
        methods.put("pHash", (ref, i) -> refPrints.get(ref).distance(candPrints.get(i)).pHash());
        methods.put("a+d+p", (ref, i) -> refPrints.get(ref).distance(candPrints.get(i)).total());

        List<String> transforms = new ArrayList<>(List.of("original"));
        transforms.addAll(transforms().keySet());
        Map<String, Map<String, Double>> recall = new LinkedHashMap<>();
        Map<String, Integer> thresholds = new LinkedHashMap<>();
        Map<String, Double> overall = new LinkedHashMap<>();
        for (var m : methods.entrySet()) {
            List<Scored> scored = new ArrayList<>();
            for (String ref : names) {
                for (int i = 0; i < candidates.size(); i++) {
                    Candidate c = candidates.get(i);
                    scored.add(new Scored(c.source(), c.transform(), ref, m.getValue().applyAsInt(ref, i)));
                }
            }
            int threshold = -1;
            for (int t = 0; t <= 192; t++) {
                final int limit = t;
                long tp = scored.stream().filter(s -> s.distance() <= limit && s.source().equals(s.reference())).count();
                long fp = scored.stream().filter(s -> s.distance() <= limit && !s.source().equals(s.reference())).count();
                if (tp + fp > 0 && tp / (double) (tp + fp) >= PRECISION) {
                    threshold = t;
                }
                if (tp + fp > 0 && tp / (double) (tp + fp) < PRECISION) {
                    break;
                }
            }
            thresholds.put(m.getKey(), threshold);
            Map<String, Double> perTransform = new LinkedHashMap<>();
            final int chosen = threshold;
            for (String t : transforms) {
                List<Scored> positives = scored.stream()
                        .filter(s -> s.transform().equals(t) && s.source().equals(s.reference())).toList();
                perTransform.put(t, positives.stream().filter(s -> s.distance() <= chosen).count() / (double) positives.size());
            }
            recall.put(m.getKey(), perTransform);
            List<Scored> positives = scored.stream().filter(s -> s.source().equals(s.reference())).toList();
            overall.put(m.getKey(), positives.stream().filter(s -> s.distance() <= chosen).count() / (double) positives.size());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%d references, %d candidates (%d positive pairs, %d negative pairs).%n%n",
                names.size(), candidates.size(), candidates.size(), (names.size() - 1) * candidates.size()));
        sb.append("| transform |");
        methods.keySet().forEach(k -> sb.append(' ').append(k).append(" |"));
        sb.append("\n|---|");
        methods.keySet().forEach(k -> sb.append("---|"));
        sb.append('\n');
        for (String t : transforms) {
            sb.append("| ").append(t).append(" |");
            for (String m : methods.keySet()) {
                sb.append(String.format(" %.2f |", recall.get(m).get(t)));
            }
            sb.append('\n');
        }
        sb.append("| **overall** |");
        for (String m : methods.keySet()) {
            sb.append(String.format(" **%.2f** |", overall.get(m)));
        }
        sb.append("\n| threshold (distance <=) |");
        for (String m : methods.keySet()) {
            sb.append(' ').append(thresholds.get(m)).append(" |");
        }
        sb.append('\n');
        return sb.toString();
    }

    private static String speed(List<String> names, Map<String, byte[]> bytes, Map<String, BufferedImage> originals,
            ImageDecoder decoder, int rounds) throws IOException {
        long blackhole = 0;
        double[] imageIo = new double[rounds];
        double[] ours = new double[rounds];
        double[] plainHash = new double[rounds];
        double[] fingerprint = new double[rounds];
        for (int r = -1; r < rounds; r++) { // round -1 warms up
            long t0 = System.nanoTime();
            for (String n : names) {
                blackhole += ImageIO.read(new ByteArrayInputStream(bytes.get(n))).getWidth();
            }
            long t1 = System.nanoTime();
            for (String n : names) {
                DecodedImage d = decoder.decode(bytes.get(n));
                blackhole += d.width();
            }
            long t2 = System.nanoTime();
            for (String n : names) {
                blackhole += PerceptualHash.aHash(originals.get(n));
            }
            long t3 = System.nanoTime();
            for (String n : names) {
                blackhole += ImageFingerprint.of(originals.get(n)).whole().pHash();
            }
            long t4 = System.nanoTime();
            if (r >= 0) {
                imageIo[r] = (t1 - t0) / 1e6 / names.size();
                ours[r] = (t2 - t1) / 1e6 / names.size();
                plainHash[r] = (t3 - t2) / 1e6 / names.size();
                fingerprint[r] = (t4 - t3) / 1e6 / names.size();
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| step | ms per image (median) | baseline ms (median) | ratio to baseline |\n|---|---|---|---|\n");
        sb.append(String.format("| ImageDecoder.decode vs ImageIO.read | %.2f | %.2f | %.2f |%n",
                median(ours), median(imageIo), median(ours) / median(imageIo)));
        sb.append(String.format("| ImageFingerprint.of vs plain aHash | %.2f | %.2f | %.2f |%n",
                median(fingerprint), median(plainHash), median(fingerprint) / median(plainHash)));
        sb.append(String.format("%n(images: the %d test images, 384x303 to 1000x872; checksum %d)%n", names.size(), blackhole));
        return sb.toString();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The near-duplicate transforms of the quality benchmark in issue 3, written out. */
    static Map<String, UnaryOperator<BufferedImage>> transforms() {
        Map<String, UnaryOperator<BufferedImage>> t = new LinkedHashMap<>();
        t.put("resize 50%", i -> resize(i, i.getWidth() / 2, i.getHeight() / 2));
        t.put("resize 25%", i -> resize(i, i.getWidth() / 4, i.getHeight() / 4));
        t.put("JPEG q30", i -> {
            try {
                return ImageIO.read(new ByteArrayInputStream(jpeg(i, 0.3f)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        t.put("crop 10%", i -> crop(i, 0.10));
        t.put("crop 20%", i -> crop(i, 0.20));
        t.put("pad 20% white", i -> pad(i, 0.2, Color.WHITE));
        t.put("pad 20% black", i -> pad(i, 0.2, Color.BLACK));
        t.put("watermark", ImageHashBench::watermark);
        t.put("mirror", ImageHashBench::mirror);
        t.put("rotate 5 deg", i -> rotate(i, 5));
        t.put("brightness +25%", i -> pointwise(i, v -> v * 1.25));
        t.put("contrast +30%", i -> pointwise(i, v -> (v - 128) * 1.3 + 128));
        t.put("greyscale", ImageHashBench::greyscale);
        return t;
    }

    private static BufferedImage resize(BufferedImage src, int w, int h) {
        Image scaled = src.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(scaled, 0, 0, null);
        g.dispose();
        return out;
    }

    /** Removes {@code fraction} of each dimension, split evenly between the two sides. */
    private static BufferedImage crop(BufferedImage src, double fraction) {
        int dx = (int) Math.round(src.getWidth() * fraction / 2);
        int dy = (int) Math.round(src.getHeight() * fraction / 2);
        return copy(src.getSubimage(dx, dy, src.getWidth() - 2 * dx, src.getHeight() - 2 * dy));
    }

    private static BufferedImage pad(BufferedImage src, double fraction, Color colour) {
        int dx = (int) Math.round(src.getWidth() * fraction);
        int dy = (int) Math.round(src.getHeight() * fraction);
        BufferedImage out = new BufferedImage(src.getWidth() + 2 * dx, src.getHeight() + 2 * dy, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(src, dx, dy, null);
        g.dispose();
        return out;
    }

    private static BufferedImage watermark(BufferedImage src) {
        BufferedImage out = copy(src);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, src.getHeight() / 10)));
        g.drawString("BEST PRICE shop.example", src.getWidth() / 10, src.getHeight() * 3 / 4);
        g.dispose();
        return out;
    }

    private static BufferedImage mirror(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, src.getWidth(), 0, -src.getWidth(), src.getHeight(), null);
        g.dispose();
        return out;
    }

    private static BufferedImage rotate(BufferedImage src, double degrees) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, AffineTransform.getRotateInstance(Math.toRadians(degrees), src.getWidth() / 2.0,
                src.getHeight() / 2.0), null);
        g.dispose();
        return out;
    }

    private static BufferedImage pointwise(BufferedImage src, java.util.function.DoubleUnaryOperator f) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int p = src.getRGB(x, y);
                int r = clamp(f.applyAsDouble(p >> 16 & 0xFF));
                int gr = clamp(f.applyAsDouble(p >> 8 & 0xFF));
                int b = clamp(f.applyAsDouble(p & 0xFF));
                out.setRGB(x, y, r << 16 | gr << 8 | b);
            }
        }
        return out;
    }

    private static BufferedImage greyscale(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int p = src.getRGB(x, y);
                int v = clamp(0.299 * (p >> 16 & 0xFF) + 0.587 * (p >> 8 & 0xFF) + 0.114 * (p & 0xFF));
                out.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return out;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static BufferedImage copy(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
    }
}
