package io.brandscan.embedding.scoring;

import io.brandscan.embedding.image.HashDistances;
import java.util.Objects;

/**
 * How alike a candidate image is to one reference image, with every part that went into
 * {@link #score()} ({@code image_score}, the largest of the three parts; see
 * {@link ImageSimilarity}).
 *
 * @param referenceId     which reference image this is (a file name, an object key); null when
 *                        the comparison was not against a named reference
 * @param score           {@code image_score}, 0..1, higher is more similar; at or above
 *                        {@link ImageSimilarity#MATCH_SCORE} the images are the same photo
 * @param embeddingCosine raw cosine between the candidate's embedding and the closest of the
 *                        reference's (the whole image or one of its crop windows), -1..1
 * @param embeddingView   which reference embedding that was: {@code whole} or a
 *                        {@link ReferenceViews#NAMES crop window name}
 * @param embeddingScore  the cosine alone, mapped onto 0..1
 * @param hashScore       the pHash distance alone, mapped onto 0..1
 * @param jointScore      the cosine penalised by the pHash distance, mapped onto 0..1
 * @param hashes          the Hamming distances of the best pairing of views, and which it was
 */
public record ImageMatch(String referenceId, double score, double embeddingCosine, String embeddingView,
                         double embeddingScore,
                         double hashScore, double jointScore, HashDistances hashes) {

    /** Which part gave the score: {@code hash}, {@code embedding} or {@code embedding+hash}. */
    public enum Part {
        HASH("hash"), EMBEDDING("embedding"), JOINT("embedding+hash");

        private final String label;

        Part(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public ImageMatch {
        Objects.requireNonNull(hashes, "hashes");
        Objects.requireNonNull(embeddingView, "embeddingView");
        for (double v : new double[] {score, embeddingScore, hashScore, jointScore}) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("scores must be in 0..1: " + v);
            }
        }
    }

    /** The same match, named after the reference it was made against. */
    public ImageMatch forReference(String id) {
        return new ImageMatch(id, score, embeddingCosine, embeddingView, embeddingScore, hashScore, jointScore, hashes);
    }

    /** Whether {@link #score()} reaches {@link ImageSimilarity#MATCH_SCORE}. */
    public boolean matched() {
        return score >= ImageSimilarity.MATCH_SCORE;
    }

    /** The part that gave the score (the hashes first on a tie: they are the plainer evidence). */
    public Part decidedBy() {
        if (hashScore >= embeddingScore && hashScore >= jointScore) {
            return Part.HASH;
        }
        return embeddingScore >= jointScore ? Part.EMBEDDING : Part.JOINT;
    }
}
