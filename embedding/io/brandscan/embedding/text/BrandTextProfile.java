package io.brandscan.embedding.text;

import java.util.Objects;

/**
 * A brand ready for text scoring: its {@link BrandTerms} and, when embeddings are on, the
 * embedding of {@link BrandTerms#profileText()}, computed once per brand (not per title) by
 * {@link TextScorer#profile}. Immutable.
 */
public final class BrandTextProfile {

    private final BrandTerms terms;
    private final float[] embedding;

    BrandTextProfile(BrandTerms terms, float[] embedding) {
        this.terms = Objects.requireNonNull(terms, "terms");
        this.embedding = embedding == null ? null : embedding.clone();
    }

    public BrandTerms terms() {
        return terms;
    }

    /** True when the profile carries an embedding. */
    public boolean hasEmbedding() {
        return embedding != null;
    }

    float[] embedding() {
        return embedding;
    }
}
