package io.brandscan.embedding.text;

import java.util.Objects;
import java.util.Set;

/**
 * Why a title does (or does not) lexically match a brand: the score in 0..1, the rule that
 * produced it, the brand term and the part of the original title it matched, the folds that were
 * needed, and the rule's own measure (edit distance or trigram similarity). A brand keyword found
 * beside the name is reported too, since it confirms short names and raises the score.
 *
 * @param score           lexical score, 0..1
 * @param rule            the rule that matched ({@link MatchRule#NONE} when nothing did)
 * @param termKind        which list the brand term came from; null when nothing matched
 * @param brandTerm       the brand name, misspelling or keyword as configured; null when nothing matched
 * @param titleSpan       where in the original title it matched; null when nothing matched
 * @param folds           folds needed on the title side (CASE is not reported: matching ignores case)
 * @param editDistance    OSA distance for {@link MatchRule#EDIT_DISTANCE}, 0 for exact and folded
 *                        matches, -1 when not measured
 * @param ngramSimilarity trigram Dice similarity between the matched title part and the term, 0..1
 *                        (0 when not measured)
 * @param keyword         a brand keyword also found in the title; null when none
 * @param keywordSpan     where that keyword is in the original title; null when none
 */
public record LexicalMatch(double score, MatchRule rule, TermKind termKind, String brandTerm, TitleSpan titleSpan,
                           Set<FoldStep> folds, int editDistance, double ngramSimilarity, String keyword,
                           TitleSpan keywordSpan) {

    public LexicalMatch {
        Objects.requireNonNull(rule, "rule");
        folds = FoldStep.orderedCopy(folds);
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be in 0..1: " + score);
        }
    }

    /** Nothing in the title matched the brand. */
    public static LexicalMatch none() {
        return new LexicalMatch(0.0, MatchRule.NONE, null, null, null, Set.of(), -1, 0.0, null, null);
    }

    public boolean matched() {
        return rule != MatchRule.NONE;
    }
}
