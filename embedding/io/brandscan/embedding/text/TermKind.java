package io.brandscan.embedding.text;

/** Which list of {@link BrandTerms} a matched term came from. */
public enum TermKind {
    NAME,
    MISSPELLING,
    KEYWORD
}
