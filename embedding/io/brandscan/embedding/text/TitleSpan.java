package io.brandscan.embedding.text;

import java.util.Objects;

/**
 * A part of an original (unfolded) title: UTF-16 offsets {@code [start, end)} into the title as
 * given, and the text found there. Offsets always refer to the original text so that a reviewer
 * can highlight exactly what matched, even when folding removed dots or replaced letters.
 */
public record TitleSpan(int start, int end, String text) {

    public TitleSpan {
        Objects.requireNonNull(text, "text");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }

    /** The span of {@code title} between {@code start} and {@code end}. */
    public static TitleSpan of(String title, int start, int end) {
        return new TitleSpan(start, end, title.substring(start, end));
    }
}
