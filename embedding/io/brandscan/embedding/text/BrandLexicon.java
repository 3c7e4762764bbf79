package io.brandscan.embedding.text;

import java.util.List;

/**
 * A brand's {@link BrandTerms} folded once by {@link LexicalMatcher#compile}, ready to be matched
 * against many titles. Immutable and thread-safe; keep it beside the brand (as
 * {@link BrandTextProfile} does) rather than compiling per title.
 */
public final class BrandLexicon {

    private final BrandTerms terms;
    private final List<LexicalMatcher.Term> names;
    private final List<LexicalMatcher.Term> misspellings;
    private final List<LexicalMatcher.Term> keywords;

    BrandLexicon(BrandTerms terms, List<LexicalMatcher.Term> names, List<LexicalMatcher.Term> misspellings,
                 List<LexicalMatcher.Term> keywords) {
        this.terms = terms;
        this.names = List.copyOf(names);
        this.misspellings = List.copyOf(misspellings);
        this.keywords = List.copyOf(keywords);
    }

    /** The terms as configured. */
    public BrandTerms terms() {
        return terms;
    }

    List<LexicalMatcher.Term> names() {
        return names;
    }

    List<LexicalMatcher.Term> misspellings() {
        return misspellings;
    }

    List<LexicalMatcher.Term> keywords() {
        return keywords;
    }
}
