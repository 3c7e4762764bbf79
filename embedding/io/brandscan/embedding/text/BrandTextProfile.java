package io.brandscan.embedding.text;

import java.util.Objects;

/**
 * A brand ready for text scoring: its terms folded once ({@link BrandLexicon}) and, when
 * embeddings are on, the embedding of {@link BrandTerms#profileText()}, both computed once per
 * brand (not per title) by {@link TextScorer#profile}. Immutable.
 */
public final class BrandTextProfile {

    private final BrandLexicon lexicon;
    private final float[] embedding;

    BrandTextProfile(BrandLexicon lexicon, float[] embedding) {
        this.lexicon = Objects.requireNonNull(lexicon, "lexicon");
        this.embedding = embedding == null ? null : embedding.clone();
    }

    public BrandTerms terms() {
        return lexicon.terms();
    }

    public BrandLexicon lexicon() {
        return lexicon;
    }

    /** True when the profile carries an embedding. */
    public boolean hasEmbedding() {
        return embedding != null;
    }

    float[] embedding() {
        return embedding;
    }
}
