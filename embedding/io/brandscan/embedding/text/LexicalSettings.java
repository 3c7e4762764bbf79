package io.brandscan.embedding.text;

import java.util.Map;
import java.util.Objects;

/**
 * The knobs of {@link LexicalMatcher}: the score each rule gives and the limits that keep short
 * names and everyday words from matching everything. Immutable; {@link #defaults()} holds the
 * values measured by {@code bench/TextQualityBench.java}.
 *
 * @param exactScore               score of a brand name as written
 * @param misspellingScore         score of a configured misspelling
 * @param foldedScore              score of a name after accent/homoglyph/leet/spacing folds
 * @param gluedScore               score of a name glued to another word ("nikeshoes")
 * @param oneEditScore             score of a name one edit away; each further edit subtracts {@code editStep}
 * @param editStep                 score lost per edit beyond the first
 * @param ngramWeight              an n-gram match scores {@code ngramWeight * similarity}
 * @param ngramMinSimilarity       trigram Dice similarity below which n-grams do not match
 * @param ngramMinLength           names shorter than this (folded, no spaces) get no n-gram matching
 * @param ambiguousScore           score of a short or everyday-word name found with nothing to confirm it
 * @param confirmedAmbiguousScore  score of such a name when a brand keyword is also in the title
 * @param keywordScore             score when only a keyword is found
 * @param keywordBoost             added (up to 1) when a keyword accompanies a name match
 * @param shortNameMaxLength       names this short (folded, no spaces) are ambiguous ("On", "Gap")
 * @param commonWordTopN           a one-word name among this many most frequent English words is ambiguous
 * @param gluedMinLength           shortest name matched as a prefix or suffix of a longer word
 * @param gluedInsideMinLength     shortest name matched in the middle of a longer word
 * @param oneEditMinLength         shortest name allowed one edit
 * @param twoEditsMinLength        shortest name allowed two edits
 * @param threeEditsMinLength      shortest name allowed three edits
 * @param maxTitleChars            titles are cut to this many characters before matching (bounds the work)
 */
public record LexicalSettings(double exactScore, double misspellingScore, double foldedScore, double gluedScore,
                              double oneEditScore, double editStep, double ngramWeight, double ngramMinSimilarity,
                              int ngramMinLength, double ambiguousScore, double confirmedAmbiguousScore,
                              double keywordScore, double keywordBoost, int shortNameMaxLength, int commonWordTopN,
                              int gluedMinLength, int gluedInsideMinLength, int oneEditMinLength,
                              int twoEditsMinLength, int threeEditsMinLength, int maxTitleChars) {

    public LexicalSettings {
        for (double s : new double[] {exactScore, misspellingScore, foldedScore, gluedScore, oneEditScore, editStep,
                ngramWeight, ngramMinSimilarity, ambiguousScore, confirmedAmbiguousScore, keywordScore, keywordBoost}) {
            if (!(s >= 0.0 && s <= 1.0)) {
                throw new IllegalArgumentException("scores and similarities must be in 0..1: " + s);
            }
        }
        if (shortNameMaxLength < 0 || commonWordTopN < 0 || gluedMinLength < 1 || gluedInsideMinLength < 1
                || oneEditMinLength < 1 || twoEditsMinLength < oneEditMinLength
                || threeEditsMinLength < twoEditsMinLength || ngramMinLength < 1 || maxTitleChars < 1) {
            throw new IllegalArgumentException("length limits must be positive and ordered");
        }
    }

    public static LexicalSettings defaults() {
        return new LexicalSettings(1.0, 0.95, 0.95, 0.85, 0.85, 0.1, 0.8, 0.7, 6, 0.4, 0.9, 0.55, 0.05,
                3, 5000, 4, 6, 4, 6, 10, 512);
    }

    /**
     * Settings from a configuration map (a Vert.x {@code JsonObject.getMap()}, say); missing keys
     * keep their defaults. Keys are the component names in snake case: {@code exact_score},
     * {@code misspelling_score}, {@code folded_score}, {@code glued_score}, {@code one_edit_score},
     * {@code edit_step}, {@code ngram_weight}, {@code ngram_min_similarity}, {@code ngram_min_length},
     * {@code ambiguous_score}, {@code confirmed_ambiguous_score}, {@code keyword_score},
     * {@code keyword_boost}, {@code short_name_max_length}, {@code common_word_top_n},
     * {@code glued_min_length}, {@code glued_inside_min_length}, {@code one_edit_min_length},
     * {@code two_edits_min_length}, {@code three_edits_min_length}, {@code max_title_chars}.
     */
    public static LexicalSettings fromConfig(Map<String, ?> config) {
        Objects.requireNonNull(config, "config");
        LexicalSettings d = defaults();
        return new LexicalSettings(
                number(config, "exact_score", d.exactScore),
                number(config, "misspelling_score", d.misspellingScore),
                number(config, "folded_score", d.foldedScore),
                number(config, "glued_score", d.gluedScore),
                number(config, "one_edit_score", d.oneEditScore),
                number(config, "edit_step", d.editStep),
                number(config, "ngram_weight", d.ngramWeight),
                number(config, "ngram_min_similarity", d.ngramMinSimilarity),
                (int) number(config, "ngram_min_length", d.ngramMinLength),
                number(config, "ambiguous_score", d.ambiguousScore),
                number(config, "confirmed_ambiguous_score", d.confirmedAmbiguousScore),
                number(config, "keyword_score", d.keywordScore),
                number(config, "keyword_boost", d.keywordBoost),
                (int) number(config, "short_name_max_length", d.shortNameMaxLength),
                (int) number(config, "common_word_top_n", d.commonWordTopN),
                (int) number(config, "glued_min_length", d.gluedMinLength),
                (int) number(config, "glued_inside_min_length", d.gluedInsideMinLength),
                (int) number(config, "one_edit_min_length", d.oneEditMinLength),
                (int) number(config, "two_edits_min_length", d.twoEditsMinLength),
                (int) number(config, "three_edits_min_length", d.threeEditsMinLength),
                (int) number(config, "max_title_chars", d.maxTitleChars));
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

    /** Edits allowed against a name of {@code length} folded characters. */
    public int maxEdits(int length) {
        if (length >= threeEditsMinLength) {
            return 3;
        }
        if (length >= twoEditsMinLength) {
            return 2;
        }
        return length >= oneEditMinLength ? 1 : 0;
    }

    /** Score of a match {@code edits} edits away (edits >= 1). */
    public double editScore(int edits) {
        return Math.max(0.0, oneEditScore - editStep * (edits - 1));
    }
}
