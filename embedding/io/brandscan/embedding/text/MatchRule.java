package io.brandscan.embedding.text;

/** Which rule made a title match a brand, strongest first. */
public enum MatchRule {
    /** A brand name as written, ignoring case and spacing between its words. */
    EXACT_NAME,
    /** A misspelling listed in the brand's configuration. */
    KNOWN_MISSPELLING,
    /** A brand name after accent, homoglyph, leetspeak or spacing folds (see the folds used). */
    FOLDED_NAME,
    /** A brand name glued to another word ("nikeshoes"). */
    GLUED_NAME,
    /** A brand name within a small edit distance (Damerau-Levenshtein, OSA). */
    EDIT_DISTANCE,
    /** A brand name with high character-trigram similarity (several scattered errors). */
    NGRAM,
    /** A short or everyday-word brand name ("Gap", "On") found alone, with nothing to confirm it. */
    AMBIGUOUS_NAME,
    /** Only a brand keyword (a product line, say) was found. */
    KEYWORD,
    /** Only the sentence embedding says the title is about the brand. */
    EMBEDDING,
    /** Nothing matched. */
    NONE
}
