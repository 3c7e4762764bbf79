package io.brandscan.embedding.text;

import java.util.Map;
import java.util.Objects;

/**
 * How {@link TextScorer} mixes the lexical score and the embedding score, and the thresholds
 * above which each counts as a match. The embedding score is the title/brand cosine mapped
 * linearly from {@code [cosineFloor, cosineCeiling]} onto 0..1 (MiniLM cosines of unrelated
 * titles sit near 0.0-0.2, of same-product titles near 0.6-0.8). Immutable; defaults come from
 * {@code bench/TextQualityBench.java}.
 *
 * @param lexicalWeight      weight of the lexical score in the combined score
 * @param embeddingWeight    weight of the embedding score (0 turns embeddings off)
 * @param cosineFloor        cosine that maps to embedding score 0
 * @param cosineCeiling      cosine that maps to embedding score 1
 * @param lexicalThreshold   lexical score at or above which the lexical part alone counts as a match
 * @param embeddingThreshold embedding score at or above which the embedding alone counts as a match
 * @param combinedThreshold  combined score at or above which {@link TextScore#matched()} is true
 * @param ambiguousConfirmEmbedding embedding score at or above which the title's context confirms
 *                           a short or everyday-word name ("GAP summer dress") found alone
 * @param maxBatch           most titles embedded in one model call
 */
public record TextScoringSettings(double lexicalWeight, double embeddingWeight, double cosineFloor,
                                  double cosineCeiling, double lexicalThreshold, double embeddingThreshold,
                                  double combinedThreshold, double ambiguousConfirmEmbedding, int maxBatch) {

    public TextScoringSettings {
        if (lexicalWeight < 0 || embeddingWeight < 0 || lexicalWeight + embeddingWeight <= 0) {
            throw new IllegalArgumentException("weights must be >= 0 and not both 0");
        }
        if (!(cosineFloor < cosineCeiling) || cosineFloor < -1 || cosineCeiling > 1) {
            throw new IllegalArgumentException("need -1 <= cosine_floor < cosine_ceiling <= 1");
        }
        for (double t : new double[] {lexicalThreshold, embeddingThreshold, combinedThreshold,
                ambiguousConfirmEmbedding}) {
            if (!(t >= 0 && t <= 1)) {
                throw new IllegalArgumentException("thresholds must be in 0..1: " + t);
            }
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max_batch must be >= 1");
        }
    }

    public static TextScoringSettings defaults() {
        return new TextScoringSettings(0.8, 0.2, 0.2, 0.7, 0.6, 0.7, 0.55, 0.6, SentenceEmbedder.DEFAULT_MAX_BATCH);
    }

    /**
     * Settings from a configuration map (a Vert.x {@code JsonObject.getMap()}, say); missing keys
     * keep their defaults. Keys: {@code lexical_weight}, {@code embedding_weight},
     * {@code cosine_floor}, {@code cosine_ceiling}, {@code lexical_threshold},
     * {@code embedding_threshold}, {@code combined_threshold}, {@code ambiguous_confirm_embedding},
     * {@code max_batch}.
     */
    public static TextScoringSettings fromConfig(Map<String, ?> config) {
        Objects.requireNonNull(config, "config");
        TextScoringSettings d = defaults();
        return new TextScoringSettings(
                number(config, "lexical_weight", d.lexicalWeight),
                number(config, "embedding_weight", d.embeddingWeight),
                number(config, "cosine_floor", d.cosineFloor),
                number(config, "cosine_ceiling", d.cosineCeiling),
                number(config, "lexical_threshold", d.lexicalThreshold),
                number(config, "embedding_threshold", d.embeddingThreshold),
                number(config, "combined_threshold", d.combinedThreshold),
                number(config, "ambiguous_confirm_embedding", d.ambiguousConfirmEmbedding),
                (int) number(config, "max_batch", d.maxBatch));
    }

    /** The cosine mapped onto 0..1. */
    public double embeddingScore(double cosine) {
        double s = (cosine - cosineFloor) / (cosineCeiling - cosineFloor);
        return Math.max(0.0, Math.min(1.0, s));
    }

    /** The weighted mean of the two parts, in 0..1. */
    public double combine(double lexicalScore, double embeddingScore) {
        return (lexicalWeight * lexicalScore + embeddingWeight * embeddingScore) / (lexicalWeight + embeddingWeight);
    }

    private static double number(Map<String, ?> config, String key, double fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(key + " must be a number, got " + v);
    }
}
