package io.brandscan.embedding.scoring;

import io.brandscan.embedding.image.HashDistances;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Owns {@code image_score}: how alike two images are, 0..1, higher is more similar, with
 * {@link #matchScore()} (0.5) as the line between "a copy of that photo" and "something else".
 * Pure arithmetic over two {@link ImageSignature}s; thread-safe.
 *
 * <p>The score is the largest of three parts, each mapped so that its own match line lands on
 * 0.5:
 * <ul>
 *   <li><b>hash</b>: the pHash distance alone (of the best of as-is, mirrored and border-trimmed
 *       views, {@link io.brandscan.embedding.image.ImageFingerprint#distance}). Reliable for resizes,
 *       recompression, padding, mirroring, watermarks and colour changes, even where the
 *       embedding is poor (a 25% thumbnail, a padded copy).</li>
 *   <li><b>embedding</b>: the embedding cosine alone, for copies the hashes cannot see at all.</li>
 *   <li><b>embedding + hash</b>: the cosine minus a penalty growing with the pHash distance. Crops
 *       and rotations move the hashes well away from their copy, but not as far as an unrelated
 *       image (distances in the low 20s, not around 32), while their embeddings stay close;
 *       unrelated images that the model happens to place close together (two textures, say)
 *       have hashes at chance distance. Neither signal alone separates those two cases; the two
 *       together do.</li>
 * </ul>
 * Taking the largest part means a copy found by any one signal is found (the score is at least as
 * good as the best single signal at its own match line), and the joint part adds the crops.
 *
 * <p>The embedding cosine is taken against the closest of the reference's embeddings: the
 * whole image and its {@link ReferenceViews} crop windows, so a cropped copy meets the part of
 * the reference it kept.
 *
 * <p>Calibration ({@link Calibration#DEFAULTS}) comes from bench/image-quality.sh on the 11 test
 * images and their generated near-duplicates, with no false positive among 1,936 pairs: pHash
 * matches up to 19 (the closest unrelated pair is 20 apart); cosine alone from 0.965 (grass and
 * gravel, two textures, reach 0.958); the joint part {@code cosine - 1.5 * pHash / 64} from 0.29
 * (unrelated pairs reach 0.267, the copies that need this part start at 0.44). These lines are
 * calibrated on the benchmark's own images, so that table is not an independent test of them; the
 * bench's held-out table (edits that played no part in choosing them) is: 0.949 recall, no false
 * positive. Another image model needs its own calibration (the cosine lines depend on the model).
 */
public final class ImageSimilarity {

    /** {@link ImageMatch#embeddingView()} when the whole reference image was closest. */
    public static final String WHOLE = "whole";

    /** The score at or above which two images count as the same photo. */
    public static final double MATCH_SCORE = 0.5;

    /**
     * The lines of the three parts.
     *
     * @param phashMatch     largest pHash distance that alone means a copy (0..63)
     * @param cosineMatch    smallest embedding cosine that alone means a copy
     * @param jointPenalty   how much cosine one unit of pHash distance / 64 costs in the joint part
     * @param jointMatch     smallest {@code cosine - jointPenalty * pHash / 64} that means a copy
     */
    public record Calibration(int phashMatch, double cosineMatch, double jointPenalty, double jointMatch) {

        /** Calibrated on the test images for the bundled MobileNetV2 (see the class Javadoc). */
        public static final Calibration DEFAULTS = new Calibration(19, 0.965, 1.5, 0.29);

        public Calibration {
            if (phashMatch < 0 || phashMatch > 63) {
                throw new IllegalArgumentException("phash_match must be in 0..63, got " + phashMatch);
            }
            if (!(cosineMatch > -1 && cosineMatch < 1)) {
                throw new IllegalArgumentException("cosine_match must be in (-1, 1), got " + cosineMatch);
            }
            if (!(jointPenalty >= 0 && jointPenalty <= 100)) {
                throw new IllegalArgumentException("joint_penalty must be in 0..100, got " + jointPenalty);
            }
            if (!(jointMatch > -101 && jointMatch < 1)) {
                throw new IllegalArgumentException("joint_match must be below 1, got " + jointMatch);
            }
        }

        /**
         * From configuration keys {@code phash_match}, {@code cosine_match}, {@code joint_penalty},
         * {@code joint_match}; missing keys keep the defaults.
         */
        public static Calibration fromConfig(Map<String, ?> conf) {
            Objects.requireNonNull(conf, "conf");
            Calibration d = DEFAULTS;
            return new Calibration(
                    (int) ConfigValues.number(conf, "phash_match", d.phashMatch, "image_calibration"),
                    ConfigValues.number(conf, "cosine_match", d.cosineMatch, "image_calibration"),
                    ConfigValues.number(conf, "joint_penalty", d.jointPenalty, "image_calibration"),
                    ConfigValues.number(conf, "joint_match", d.jointMatch, "image_calibration"));
        }
    }

    /** A brand's reference image: its name (a file name, an object key) and its signature. */
    public record Reference(String id, ImageSignature signature) {
        public Reference {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(signature, "signature");
        }
    }

    private final Calibration calibration;

    public ImageSimilarity(Calibration calibration) {
        this.calibration = Objects.requireNonNull(calibration, "calibration");
    }

    public static ImageSimilarity withDefaults() {
        return new ImageSimilarity(Calibration.DEFAULTS);
    }

    public Calibration calibration() {
        return calibration;
    }

    /** {@value #MATCH_SCORE}: the score at or above which two images are the same photo. */
    public double matchScore() {
        return MATCH_SCORE;
    }

    /** Compares a candidate with one reference image. */
    public ImageMatch compare(ImageSignature reference, ImageSignature candidate) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(candidate, "candidate");
        double cosine = cosine(reference.embedding(), candidate.embedding());
        String view = WHOLE;
        List<float[]> crops = reference.cropEmbeddings();
        for (int i = 0; i < crops.size(); i++) {
            double c = cosine(crops.get(i), candidate.embedding());
            if (c > cosine) {
                cosine = c;
                view = ReferenceViews.name(i);
            }
        }
        HashDistances hashes = reference.fingerprint().distance(candidate.fingerprint());
        // Each part is mapped linearly so that its match line is 0.5 and a perfect copy is 1.
        double hashScore = clamp(1 - hashes.pHash() / (2 * (calibration.phashMatch() + 0.5)));
        double cosineScore = above(cosine, calibration.cosineMatch());
        double joint = cosine - calibration.jointPenalty() * hashes.pHash() / 64.0;
        double jointScore = above(joint, calibration.jointMatch());
        double score = Math.max(hashScore, Math.max(cosineScore, jointScore));
        return new ImageMatch(null, score, cosine, view, cosineScore, hashScore, jointScore, hashes);
    }

    /**
     * The best match of a candidate over all of a brand's reference images (highest score; on a
     * tie, the first reference). Empty references give null: there is nothing to compare with.
     */
    public ImageMatch best(List<Reference> references, ImageSignature candidate) {
        Objects.requireNonNull(references, "references");
        ImageMatch best = null;
        for (Reference ref : references) {
            ImageMatch m = compare(ref.signature(), candidate).forReference(ref.id());
            if (best == null || m.score() > best.score()) {
                best = m;
            }
        }
        return best;
    }

    /** 0.5 at {@code line}, 1 at 1, linear and clamped to 0..1. */
    private static double above(double value, double line) {
        return clamp(0.5 + 0.5 * (value - line) / (1 - line));
    }

    private static double clamp(double v) {
        return Math.max(0.0, Math.min(1.0, v));
    }

    /** Cosine of two vectors of equal length; 0 when either is all zeros. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different lengths: " + a.length + " and " + b.length
                    + " (were they made by different image models?)");
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
    }
}
