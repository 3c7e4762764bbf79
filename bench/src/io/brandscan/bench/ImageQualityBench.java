package io.brandscan.bench;

import io.brandscan.embedding.image.HashDistances;
import io.brandscan.embedding.image.ImageFingerprint;
import io.brandscan.embedding.image.PerceptualHash;
import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.scoring.ImageMatch;
import io.brandscan.embedding.scoring.ImageSignature;
import io.brandscan.embedding.scoring.ImageSimilarity;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image quality benchmark of issue 3 (it measures, it does not assert): recall at precision
 * 0.999 for aHash, dHash and pHash alone (brandscan's {@link ImageFingerprint#distance}: best of
 * as-is, mirrored and border-trimmed), the seed's plain aHash, the MobileNetV2 embedding cosine
 * alone, and brandscan's {@code image_score} ({@link ImageSimilarity}), per transform of
 * {@link NearDuplicates} and overall. Each method gets its own best threshold. Writes
 * bench/results/image-quality.md; {@code --dump <csv>} also writes every pair's raw signals.
 */
public final class ImageQualityBench {
    private static final double PRECISION = 0.999;

    record PairSignals(String reference, String source, String transform, double cosine, HashDistances hashes,
                       int seedAHash, ImageMatch match) {
        boolean positive() {
            return reference.equals(source);
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        ImageEmbedder.initialiseEngine();
        Path dump = args.length == 2 && args[0].equals("--dump") ? Path.of(args[1]) : null;
        NearDuplicates set = NearDuplicates.build();
        NearDuplicates heldOut = NearDuplicates.build(NearDuplicates.heldOutTransforms(), false);
        List<PairSignals> pairs;
        List<PairSignals> heldOutPairs;
        try (ImageEmbedder embedder = ImageEmbedder.load(EmbeddingModelSpec.defaults())) {
            pairs = pairs(set, embedder);
            heldOutPairs = pairs(heldOut, embedder);
        }
        if (dump != null) {
            StringBuilder csv = new StringBuilder("reference,source,transform,positive,cosine,ahash,dhash,phash,image_score\n");
            for (PairSignals p : pairs) {
                csv.append(String.join(",", p.reference(), p.source(), p.transform(), Boolean.toString(p.positive()),
                        Double.toString(p.cosine()), Integer.toString(p.hashes().aHash()),
                        Integer.toString(p.hashes().dHash()), Integer.toString(p.hashes().pHash()),
                        Double.toString(p.match().score()))).append('\n');
            }
            Files.writeString(dump, csv);
        }
        String report = table(set, pairs) + heldOutTable(heldOut, heldOutPairs);
        System.out.print(report);
        Files.createDirectories(Path.of("bench/results"));
        Files.writeString(Path.of("bench/results/image-quality.md"), report);
    }

    /** Every (reference, candidate) pair of a set with all its signals. */
    private static List<PairSignals> pairs(NearDuplicates set, ImageEmbedder embedder) {
        ImageSimilarity similarity = ImageSimilarity.withDefaults();
        List<PairSignals> pairs = new ArrayList<>();
        Map<String, ImageSignature> refs = new LinkedHashMap<>();
        Map<String, Long> refSeedA = new LinkedHashMap<>();
        for (String n : set.names) {
            BufferedImage img = set.originals.get(n);
            refs.put(n, ImageSignature.ofReference(img, embedder::embed)); // whole + crop windows
            refSeedA.put(n, PerceptualHash.aHash(img));
        }
        for (NearDuplicates.Candidate c : set.candidates) {
            ImageSignature cand = new ImageSignature(embedder.embed(c.image()), ImageFingerprint.of(c.image()));
            long candSeedA = PerceptualHash.aHash(c.image());
            for (String ref : set.names) {
                ImageMatch m = similarity.compare(refs.get(ref), cand);
                pairs.add(new PairSignals(ref, c.source(), c.transform(), m.embeddingCosine(), m.hashes(),
                        PerceptualHash.distance(refSeedA.get(ref), candSeedA), m));
            }
        }
        return pairs;
    }

    private static Map<String, java.util.function.ToDoubleFunction<PairSignals>> methods() {
        Map<String, java.util.function.ToDoubleFunction<PairSignals>> methods = new LinkedHashMap<>();
        methods.put("seed aHash (plain)", PairSignals::seedAHash);
        methods.put("aHash", p -> p.hashes().aHash());
        methods.put("dHash", p -> p.hashes().dHash());
        methods.put("pHash", p -> p.hashes().pHash());
        methods.put("embedding cosine (whole + crop windows)", p -> -p.cosine());
        methods.put("image_score", p -> -p.match().score());
        return methods;
    }

    /**
     * The held-out edits, scored at image_score's fixed match line (not a threshold chosen on
     * them): recall per edit and the false positives among their negative pairs.
     */
    private static String heldOutTable(NearDuplicates set, List<PairSignals> pairs) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n## Held-out edits (no part in the calibration), image_score at its fixed line >= 0.5\n\n");
        long negatives = pairs.stream().filter(p -> !p.positive()).count();
        long falsePositives = pairs.stream().filter(p -> !p.positive() && p.match().matched()).count();
        sb.append(String.format("%d candidates x %d references; %d negative pairs, %d scored >= 0.5 (highest %.3f).%n%n",
                pairs.size() / set.names.size(), set.names.size(), negatives, falsePositives,
                pairs.stream().filter(p -> !p.positive()).mapToDouble(p -> p.match().score()).max().orElse(0)));
        ImageSimilarity.Calibration cal = ImageSimilarity.Calibration.DEFAULTS;
        sb.append(String.format("| edit | image_score recall | lowest positive score | pHash <= %d recall | cosine >= %s recall |%n",
                cal.phashMatch(), cal.cosineMatch()));
        sb.append("|---|---|---|---|---|\n");
        for (String t : set.transforms) {
            List<PairSignals> pos = pairs.stream().filter(p -> p.positive() && p.transform().equals(t)).toList();
            if (pos.isEmpty()) {
                continue;
            }
            sb.append(String.format("| %s | %.2f | %.3f | %.2f | %.2f |%n", t,
                    pos.stream().filter(p -> p.match().matched()).count() / (double) pos.size(),
                    pos.stream().mapToDouble(p -> p.match().score()).min().orElse(0),
                    pos.stream().filter(p -> p.hashes().pHash() <= cal.phashMatch()).count() / (double) pos.size(),
                    pos.stream().filter(p -> p.cosine() >= cal.cosineMatch()).count() / (double) pos.size()));
        }
        List<PairSignals> pos = pairs.stream().filter(PairSignals::positive).toList();
        sb.append(String.format("| **all held-out** | **%.3f** | | **%.3f** | **%.3f** |%n",
                pos.stream().filter(p -> p.match().matched()).count() / (double) pos.size(),
                pos.stream().filter(p -> p.hashes().pHash() <= cal.phashMatch()).count() / (double) pos.size(),
                pos.stream().filter(p -> p.cosine() >= cal.cosineMatch()).count() / (double) pos.size()));
        return sb.toString();
    }

    private static String table(NearDuplicates set, List<PairSignals> pairs) {
        Map<String, RecallAtPrecision.Result> results = new LinkedHashMap<>();
        for (var m : methods().entrySet()) {
            List<RecallAtPrecision.Pair> scored = pairs.stream()
                    .map(p -> new RecallAtPrecision.Pair(p.transform(), p.positive(), m.getValue().applyAsDouble(p)))
                    .toList();
            results.put(m.getKey(), RecallAtPrecision.of(scored, PRECISION, set.transforms));
        }
        long positives = pairs.stream().filter(PairSignals::positive).count();
        StringBuilder sb = new StringBuilder();
        sb.append("## Image near-duplicates: recall at precision ").append(PRECISION).append("\n\n");
        sb.append("Produced by `bench/image-quality.sh` (MobileNetV2 from models/, the 11 images in "
                + "src/test/resources/images; copies travel as JPEG q0.92 except the JPEG and WebP edits).\n");
        sb.append(String.format("%d references x %d candidates = %d pairs (%d positive, %d negative). "
                        + "Each method gets its own best threshold over all pairs.%n",
                set.names.size(), set.candidates.size(), pairs.size(), positives, pairs.size() - positives));
        set.notes.forEach(n -> sb.append("Note: ").append(n).append('\n'));
        sb.append("\n| transform |");
        results.keySet().forEach(k -> sb.append(' ').append(k).append(" |"));
        sb.append("\n|---|");
        results.keySet().forEach(k -> sb.append("---|"));
        sb.append('\n');
        for (String t : set.transforms) {
            sb.append("| ").append(t).append(" |");
            results.values().forEach(r -> sb.append(String.format(" %.2f |", r.perGroup().get(t))));
            sb.append('\n');
        }
        sb.append("| **overall** |");
        results.values().forEach(r -> sb.append(String.format(" **%.3f** |", r.overall())));
        sb.append("\n| threshold reached |");
        results.forEach((k, r) -> sb.append(k.contains("cosine") || k.equals("image_score")
                ? String.format(" >= %.4f |", -r.threshold()) : String.format(" <= %.0f |", r.threshold())));
        sb.append("\n| false positives at it |");
        results.values().forEach(r -> sb.append(' ').append(r.falsePositives()).append(" |"));
        sb.append('\n');
        List<PairSignals> pos = pairs.stream().filter(PairSignals::positive).toList();
        double atLine = pos.stream().filter(p -> p.match().matched()).count() / (double) pos.size();
        double maxNegative = pairs.stream().filter(p -> !p.positive()).mapToDouble(p -> p.match().score()).max().orElse(0);
        long falseAtLine = pairs.stream().filter(p -> !p.positive() && p.match().matched()).count();
        sb.append(String.format("%nAt image_score's own match line (>= %.1f, calibrated on these images): recall %.3f, "
                + "%d false positives; the highest unrelated pair scores %.3f.%n", ImageSimilarity.MATCH_SCORE,
                atLine, falseAtLine, maxNegative));
        sb.append(String.format("Calibration: %s.%n", ImageSimilarity.Calibration.DEFAULTS));
        return sb.toString();
    }
}
