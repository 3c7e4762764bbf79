package io.brandscan.bench;

import io.brandscan.embedding.image.DecodedImage;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.image.PerceptualHash;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntBiFunction;
import javax.imageio.ImageIO;

/**
 * Measures the perceptual hashes (it does not assert). Every test image is a reference; every
 * image and every transformed copy of every image is a candidate. A pair is positive when the
 * candidate derives from the reference. For each hash, the distance threshold is the largest
 * one whose precision over all pairs is at least 0.999; the table gives the recall per
 * transform at that threshold. The seed's hashes are the plain aHash and pHash of the whole
 * image; brandscan's are {@link ImageFingerprint#distance} (border trimming and mirror).
 */
public final class ImageHashBench {
    private static final double PRECISION = 0.999;
    private static List<String> transformNames = List.of();

    record Scored(String source, String transform, String reference, int distance) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length == 2 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 5;
        NearDuplicates set = NearDuplicates.build();
        List<String> names = set.names;
        ImageDecoder decoder = ImageDecoder.withDefaults();
        Map<String, byte[]> bytes = set.originalBytes;
        Map<String, BufferedImage> originals = set.originals;
        List<NearDuplicates.Candidate> candidates = set.candidates;
        transformNames = set.transforms;
        StringBuilder out = new StringBuilder();
        out.append("## Perceptual hashes: recall at precision ").append(PRECISION).append("\n\n");
        out.append(quality(names, originals, candidates));
        out.append("\n## Speed (ratios measured in the same run, ").append(rounds).append(" rounds)\n\n");
        out.append(speed(names, bytes, originals, decoder, rounds));
        System.out.print(out);
        Files.createDirectories(Path.of("bench/results"));
        Files.writeString(Path.of("bench/results/image-hashes.md"), out.toString());
    }

    private static String quality(List<String> names, Map<String, BufferedImage> originals, List<NearDuplicates.Candidate> candidates) {
        Map<String, ImageFingerprint> refPrints = new LinkedHashMap<>();
        Map<String, long[]> refPlain = new LinkedHashMap<>();
        originals.forEach((n, img) -> {
            refPrints.put(n, ImageFingerprint.of(img));
            refPlain.put(n, new long[] {PerceptualHash.aHash(img), PerceptualHash.pHash(img)});
        });
        List<ImageFingerprint> candPrints = new ArrayList<>();
        List<long[]> candPlain = new ArrayList<>();
        for (NearDuplicates.Candidate c : candidates) {
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

        List<String> transforms = transformNames;
        Map<String, Map<String, Double>> recall = new LinkedHashMap<>();
        Map<String, Integer> thresholds = new LinkedHashMap<>();
        Map<String, Double> overall = new LinkedHashMap<>();
        for (var m : methods.entrySet()) {
            List<Scored> scored = new ArrayList<>();
            for (String ref : names) {
                for (int i = 0; i < candidates.size(); i++) {
                    NearDuplicates.Candidate c = candidates.get(i);
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
}
