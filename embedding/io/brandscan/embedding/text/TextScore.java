package io.brandscan.embedding.text;

import java.util.Objects;
import java.util.Set;

/**
 * How strongly a listing title names a brand, and why: the combined score and its lexical and
 * embedding parts, the rule that matched, the brand term and the part of the title it matched,
 * and the folds that were needed. Immutable; the field names are meant to be used as they are
 * (snake_cased) when the scorer turns this into JSON.
 *
 * @param score           combined score, 0..1 (weighted mean of the two parts)
 * @param matched         {@code score >= combined_threshold}
 * @param rule            the lexical rule that matched; {@link MatchRule#EMBEDDING} when only the
 *                        embedding passed its threshold; {@link MatchRule#NONE} otherwise
 * @param brandTerm       the configured name, misspelling or keyword that matched; null if none
 * @param termKind        which list that term came from; null if none
 * @param titleSpan       the part of the original title that matched; null if none
 * @param folds           folds the title needed to match (empty for exact matches)
 * @param lexicalScore    lexical part, 0..1
 * @param embeddingScore  embedding part, 0..1 (0 when embeddings are off)
 * @param embeddingCosine raw cosine between title and brand profile embeddings (0 when off)
 * @param embeddingUsed   whether an embedding was computed for this score
 * @param contextConfirmed true when a short or everyday-word name found alone ("GAP dress") was
 *                        confirmed by the embedding, which raised the lexical part
 * @param lexical         the full lexical explanation (edit distance, n-gram similarity, keyword)
 */
public record TextScore(double score, boolean matched, MatchRule rule, String brandTerm, TermKind termKind,
                        TitleSpan titleSpan, Set<FoldStep> folds, double lexicalScore, double embeddingScore,
                        double embeddingCosine, boolean embeddingUsed, boolean contextConfirmed,
                        LexicalMatch lexical) {

    public TextScore {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(lexical, "lexical");
        folds = FoldStep.orderedCopy(folds);
    }
}
