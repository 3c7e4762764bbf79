package io.brandscan.embedding.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The text signal for one listing and one brand: the lexical match ({@link LexicalMatcher}),
 * which carries brand names, plus the sentence-embedding similarity ({@link SentenceEmbedder}),
 * which adds product context (keywords, category) that spelling cannot see, mixed by
 * {@link TextScoringSettings}. Embeddings alone barely tell a misspelt brand from a competitor,
 * so their weight is small.
 *
 * <p>Blocking when embeddings are on: call {@link #profile}, {@link #score} and {@link #scoreAll}
 * from a worker thread, never an event loop. Thread-safe; build one and share it.
 */
public final class TextScorer {

    private final LexicalMatcher lexical;
    private final SentenceEmbedder embedder;
    private final TextScoringSettings settings;

    /**
     * @param embedder null for lexical-only scoring (the embedding part is then 0 and the combined
     *                 score is the lexical score)
     */
    public TextScorer(LexicalMatcher lexical, SentenceEmbedder embedder, TextScoringSettings settings) {
        this.lexical = Objects.requireNonNull(lexical, "lexical");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.embedder = embedder == null || settings.embeddingWeight() == 0 ? null
                : embedder.withMaxBatch(settings.maxBatch());
    }

    /** Default settings with the shared MiniLM model (loads it: blocking). */
    public static TextScorer withMiniLm() {
        return new TextScorer(new LexicalMatcher(), SentenceEmbedder.miniLm(), TextScoringSettings.defaults());
    }

    /** Default settings, no embeddings: nothing blocks and no model is loaded. */
    public static TextScorer lexicalOnly() {
        return new TextScorer(new LexicalMatcher(), null, TextScoringSettings.defaults());
    }

    public TextScoringSettings settings() {
        return settings;
    }

    /** Prepares a brand once for many titles (embeds its profile text when embeddings are on). */
    public BrandTextProfile profile(BrandTerms terms) {
        Objects.requireNonNull(terms, "terms");
        return new BrandTextProfile(lexical.compile(terms), embedder == null ? null : embedder.embed(terms.profileText()));
    }

    /** Scores one title against one brand. */
    public TextScore score(String title, BrandTextProfile brand) {
        return scoreAll(List.of(Objects.requireNonNull(title, "title")), brand).get(0);
    }

    /**
     * Scores titles against one brand, scoring each distinct title once (its embedding in batches
     * of at most {@code max_batch}): sellers copy each other's titles, and a marketplace search
     * repeats them, so a page of listings often holds the same title many times.
     */
    public List<TextScore> scoreAll(List<String> titles, BrandTextProfile brand) {
        Objects.requireNonNull(titles, "titles");
        Objects.requireNonNull(brand, "brand");
        boolean embed = embedder != null && brand.hasEmbedding();
        Map<String, float[]> vectors = embed ? embedder.embedDistinct(cut(titles)) : Map.of();
        int max = lexical.settings().maxTitleChars();
        Map<String, TextScore> scored = new HashMap<>();
        List<TextScore> out = new ArrayList<>(titles.size());
        for (String title : titles) {
            out.add(scored.computeIfAbsent(title, t -> {
                LexicalMatch lex = lexical.match(t, brand.lexicon());
                double cosine = embed ? SentenceEmbedder.cosine(vectors.get(cut(t, max)), brand.embedding()) : 0.0;
                return combine(lex, cosine, embed);
            }));
        }
        return out;
    }

    /**
     * Scores titles against the brand of {@code known}, scoring only the titles it does not hold
     * yet and keeping their scores in it: the same scores as {@link #scoreAll(List,
     * BrandTextProfile)}, each title's work done once across calls.
     */
    public List<TextScore> scoreAll(List<String> titles, TitleScores known) {
        Objects.requireNonNull(titles, "titles");
        Objects.requireNonNull(known, "known");
        List<String> unknown = new ArrayList<>();
        for (String title : new LinkedHashSet<>(titles)) {
            if (known.get(Objects.requireNonNull(title, "title")) == null) {
                unknown.add(title);
            }
        }
        List<TextScore> fresh = scoreAll(unknown, known.brand());
        Map<String, TextScore> now = new HashMap<>(unknown.size() * 2);
        for (int i = 0; i < unknown.size(); i++) {
            now.put(unknown.get(i), fresh.get(i));
            known.keep(unknown.get(i), fresh.get(i));
        }
        List<TextScore> out = new ArrayList<>(titles.size());
        for (String title : titles) {
            TextScore score = now.get(title);
            out.add(score != null ? score : known.get(title));
        }
        return out;
    }

    /** Combines a lexical match and a title/brand cosine into a score (the maths, without inference). */
    public TextScore combine(LexicalMatch lex, double cosine, boolean embeddingUsed) {
        Objects.requireNonNull(lex, "lexical");
        double embeddingScore = embeddingUsed ? settings.embeddingScore(cosine) : 0.0;
        double lexicalScore = lex.score();
        // A short or everyday-word name alone ("GAP summer dress") is confirmed by a title that reads
        // like the brand's products; "mind the gap" on a kettle stays unconfirmed.
        boolean confirmed = embeddingUsed && lex.rule() == MatchRule.AMBIGUOUS_NAME
                && embeddingScore >= settings.ambiguousConfirmEmbedding();
        if (confirmed) {
            lexicalScore = Math.max(lexicalScore, lexical.settings().confirmedAmbiguousScore());
        }
        double score = embeddingUsed ? settings.combine(lexicalScore, embeddingScore) : lexicalScore;
        MatchRule rule = lex.rule();
        if (rule == MatchRule.NONE && embeddingUsed && embeddingScore >= settings.embeddingThreshold()) {
            rule = MatchRule.EMBEDDING;
        }
        // Lexical-only scores are lexical scores, so they answer to the lexical threshold.
        double threshold = embeddingUsed ? settings.combinedThreshold() : settings.lexicalThreshold();
        return new TextScore(score, score >= threshold, rule, lex.brandTerm(), lex.termKind(),
                lex.titleSpan(), lex.folds(), lexicalScore, embeddingScore, embeddingUsed ? cosine : 0.0,
                embeddingUsed, confirmed, lex);
    }

    private List<String> cut(List<String> titles) {
        int max = lexical.settings().maxTitleChars();
        List<String> out = new ArrayList<>(titles.size());
        for (String t : titles) {
            out.add(cut(t, max));
        }
        return out;
    }

    private static String cut(String title, int max) {
        return title.length() > max ? title.substring(0, max) : title;
    }
}
