package io.brandscan.embedding.text;

import java.util.EnumSet;
import java.util.Set;

/**
 * The result of folding one text: the folded tokens (separated by single spaces in
 * {@link #text()}), and for every folded character where it came from in the original, which
 * folding steps changed it, and which other letters it may stand for (a leetspeak {@code 1} can be
 * an {@code i} or an {@code l}: both are kept so matching can try either). Immutable.
 */
public final class FoldedText {

    private final String original;
    private final String text;
    private final String[] alternatives;
    private final int[] sourceStart;
    private final int[] sourceEnd;
    private final int[] stepMasks;
    private final int[] tokenStart;
    private final int[] tokenEnd;

    FoldedText(String original, String text, String[] alternatives, int[] sourceStart, int[] sourceEnd,
               int[] stepMasks, int[] tokenStart, int[] tokenEnd) {
        this.original = original;
        this.text = text;
        this.alternatives = alternatives;
        this.sourceStart = sourceStart;
        this.sourceEnd = sourceEnd;
        this.stepMasks = stepMasks;
        this.tokenStart = tokenStart;
        this.tokenEnd = tokenEnd;
    }

    /** The text that was folded. */
    public String original() {
        return original;
    }

    /** Folded tokens joined by single spaces; ambiguous characters show their first reading. */
    public String text() {
        return text;
    }

    /** Folded tokens joined without separators ("Louis Vuitton" gives "louisvuitton"). */
    public String compact() {
        return text.replace(" ", "");
    }

    public int tokenCount() {
        return tokenStart.length;
    }

    public String token(int index) {
        return text.substring(tokenStart[index], tokenEnd[index]);
    }

    /** Index in {@link #text()} where token {@code index} starts. */
    public int tokenStart(int index) {
        return tokenStart[index];
    }

    /** Index in {@link #text()} just after token {@code index}. */
    public int tokenEnd(int index) {
        return tokenEnd[index];
    }

    /** True when the folded character at {@code position} can be read as {@code c}. */
    public boolean canRead(int position, char c) {
        if (text.charAt(position) == c) {
            return true;
        }
        String alt = alternatives[position];
        return alt != null && alt.indexOf(c) >= 0;
    }

    /** Other readings of the character at {@code position} (empty when it has one reading). */
    public String alternativesAt(int position) {
        String alt = alternatives[position];
        return alt == null ? "" : alt;
    }

    /** The folding steps that changed any character in {@code [from, to)} of {@link #text()}. */
    public Set<FoldStep> stepsIn(int from, int to) {
        int mask = 0;
        for (int i = from; i < to; i++) {
            mask |= stepMasks[i];
        }
        EnumSet<FoldStep> steps = EnumSet.noneOf(FoldStep.class);
        for (FoldStep step : FoldStep.values()) {
            if ((mask & step.bit()) != 0) {
                steps.add(step);
            }
        }
        return steps;
    }

    /** The part of the original text that produced folded characters {@code [from, to)}. */
    public TitleSpan sourceSpan(int from, int to) {
        if (from >= to) {
            throw new IllegalArgumentException("empty range");
        }
        int start = Integer.MAX_VALUE;
        int end = -1;
        for (int i = from; i < to; i++) {
            if (sourceStart[i] >= 0) {
                start = Math.min(start, sourceStart[i]);
                end = Math.max(end, sourceEnd[i]);
            }
        }
        return TitleSpan.of(original, start, end);
    }

    @Override
    public String toString() {
        return "FoldedText[" + text + "]";
    }
}
