package io.brandscan.embedding.text;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One folding step that {@link TextFolder} can apply to a listing title or a brand term. The steps
 * are kept apart so that a match can say which of them it needed ("matched only after the
 * homoglyph fold"). They always run in declaration order: homoglyph tables are case-aware (Greek
 * capital Nu looks like N, its lowercase looks like v), so case folding must come after them, and
 * leetspeak must see letters that are already Latin to decide whether a digit sits inside a word.
 */
public enum FoldStep {
    /** Canonical decomposition (NFD), combining marks dropped, plus letters like ø, ł, ß. */
    ACCENT,
    /** Compatibility forms (full-width, mathematical, ligatures) and Cyrillic/Greek look-alikes. */
    HOMOGLYPH,
    /** Lowercasing (locale independent). Always on: names are matched case-insensitively. */
    CASE,
    /** Digits and symbols used as letters inside words (N1ke, @didas); ambiguous ones keep alternatives. */
    LEET,
    /** Punctuation inside words removed (n.i.k.e, ni-ke) and spaced-out letters joined (n i k e). */
    SPACING;

    /** An unmodifiable copy that iterates in fold order (stable output for explanations and JSON). */
    public static Set<FoldStep> orderedCopy(Collection<FoldStep> steps) {
        EnumSet<FoldStep> copy = EnumSet.noneOf(FoldStep.class);
        copy.addAll(steps);
        return Collections.unmodifiableSet(copy);
    }

    final int bit() {
        return 1 << ordinal();
    }
}
