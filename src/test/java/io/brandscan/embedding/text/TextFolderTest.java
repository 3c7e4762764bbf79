package io.brandscan.embedding.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextFolderTest {

    private final TextFolder folder = new TextFolder();

    private String fold(String s, FoldStep... steps) {
        return folder.fold(s, steps.length == 0 ? EnumSet.noneOf(FoldStep.class) : EnumSet.of(steps[0], steps)).text();
    }

    @Test
    void caseFoldLowercasesAndNothingElse() {
        assertEquals("nike air", fold("NIKE Air", FoldStep.CASE));
        assertEquals("nïke", fold("NÏKE", FoldStep.CASE));
        assertEquals("n1ke", fold("N1KE", FoldStep.CASE));
    }

    @Test
    void accentFoldStripsMarksAndFoldsSpecialLatinLetters() {
        assertEquals("Moet Chandon", fold("Moët Chandon", FoldStep.ACCENT));
        assertEquals("Hermes", fold("Hermès", FoldStep.ACCENT));
        assertEquals("Bjorn strasse", fold("Bjørn straße", FoldStep.ACCENT));
        // Decomposed input: the lone combining mark disappears and its letter is marked as folded.
        FoldedText decomposed = folder.fold("Nı\u0308ke".replace("ı", "i"), EnumSet.of(FoldStep.ACCENT));
        assertEquals("Nike", decomposed.text());
        assertEquals(Set.of(FoldStep.ACCENT), decomposed.stepsIn(0, 4));
        // Without the step, accents stay.
        assertEquals("moët", fold("Moët", FoldStep.CASE));
    }

    @Test
    void homoglyphFoldMapsCyrillicGreekAndCompatibilityForms() {
        assertEquals("Nike", fold("N\u0456ke", FoldStep.HOMOGLYPH)); // Cyrillic і
        assertEquals("Nike", fold("N\u0131ke", FoldStep.HOMOGLYPH)); // dotless ı
        assertEquals("NIKE", fold("\u039D\u0399\u039A\u0395", FoldStep.HOMOGLYPH)); // Greek capitals
        assertEquals("Adidas", fold("\u0410didas", FoldStep.HOMOGLYPH)); // Cyrillic А
        assertEquals("NIKE", fold("\uFF2E\uFF29\uFF2B\uFF25", FoldStep.HOMOGLYPH)); // full-width
        assertEquals("Nike", fold("\uD835\uDC0D\uD835\uDC22\uD835\uDC24\uD835\uDC1E", FoldStep.HOMOGLYPH)); // bold maths
        // Case-aware: Greek capital Nu is N, but lowercase nu looks like v, and the fold runs before case.
        assertEquals("nike", fold("\u039Dike", FoldStep.HOMOGLYPH, FoldStep.CASE));
        assertEquals("vike", fold("\u03BDike", FoldStep.HOMOGLYPH, FoldStep.CASE));
        // Without the step the Cyrillic letter stays.
        assertEquals("n\u0456ke", fold("N\u0456ke", FoldStep.CASE));
    }

    @Test
    void leetFoldReadsDigitsAndSymbolsInsideWordsOnly() {
        assertEquals("nike", fold("N1ke", FoldStep.CASE, FoldStep.LEET));
        assertEquals("adidas", fold("@d1d4$", FoldStep.CASE, FoldStep.LEET));
        assertEquals("guess", fold("Gu3ss", FoldStep.CASE, FoldStep.LEET));
        // Numbers and prices are not words: "Air Max 90" keeps its 90, "$49" its dollar sign.
        assertEquals("air max 90", fold("Air Max 90", FoldStep.CASE, FoldStep.LEET));
        assertEquals("49 99", fold("$49.99", FoldStep.CASE, FoldStep.LEET));
        // A trailing "!" is punctuation, not an i.
        assertEquals("wow", fold("wow!", FoldStep.CASE, FoldStep.LEET));
    }

    @Test
    void leetKeepsBothReadingsOfAmbiguousCharacters() {
        FoldedText f = folder.fold("1ouis", EnumSet.of(FoldStep.CASE, FoldStep.LEET));
        assertEquals("iouis", f.text());
        assertTrue(f.canRead(0, 'i'));
        assertTrue(f.canRead(0, 'l'));
        assertTrue(f.canRead(0, '1'), "the digit itself stays readable");
        assertFalse(f.canRead(0, 'o'));
        assertEquals(Set.of(FoldStep.LEET), f.stepsIn(0, 1));
        assertEquals(Set.of(), f.stepsIn(1, 5));
    }

    @Test
    void spacingFoldJoinsSpacedOutLettersAndPunctuatedWords() {
        assertEquals("nike shoes", fold("N i k e shoes", FoldStep.CASE, FoldStep.SPACING));
        assertEquals("nike", fold("n.i.k.e.", FoldStep.CASE, FoldStep.SPACING));
        assertEquals("nike", fold("ni-ke", FoldStep.CASE, FoldStep.SPACING));
        assertEquals("nike", fold("N - I - K - E", FoldStep.CASE, FoldStep.SPACING));
        // Two single letters are not a spaced-out word ("size 9 m" stays apart).
        assertEquals("size 9 m", fold("size 9 m", FoldStep.CASE, FoldStep.SPACING));
        // Without the step punctuation separates tokens.
        assertEquals("n i k e", fold("n.i.k.e", FoldStep.CASE));
        assertEquals("ni ke", fold("ni-ke", FoldStep.CASE));
    }

    @Test
    void spacedOutLeetDigitsAreLetters() {
        assertEquals("nike", folder.fold("N 1 K E").text());
    }

    @Test
    void everyFoldTogetherAndSpansPointIntoTheOriginal() {
        String title = "Best N.1.К.Е™ shoes";
        FoldedText f = folder.fold(title);
        assertEquals("best nike shoes", f.text());
        assertEquals(3, f.tokenCount());
        assertEquals("nike", f.token(1));
        TitleSpan span = f.sourceSpan(f.tokenStart(1), f.tokenEnd(1));
        assertEquals("N.1.К.Е", span.text());
        assertEquals(5, span.start());
        assertEquals(EnumSet.of(FoldStep.CASE, FoldStep.LEET, FoldStep.HOMOGLYPH, FoldStep.SPACING),
                f.stepsIn(f.tokenStart(1), f.tokenEnd(1)));
        assertEquals("bestnikeshoes", f.compact());
    }

    @Test
    void unspacedScriptsSplitFromLatinWords() {
        FoldedText f = folder.fold("耐克Nike运动鞋");
        assertEquals("耐克 nike 运动鞋", f.text());
        assertEquals("Nike", f.sourceSpan(f.tokenStart(1), f.tokenEnd(1)).text());
        assertEquals("ナイキ スニーカー", folder.fold("ナイキ スニーカー").text());
    }

    @Test
    void trademarkSignsAreNotLetters() {
        assertEquals("nike air", folder.fold("Nike™ Air®").text());
    }

    @Test
    void badAndEmptyInputs() {
        assertThrows(NullPointerException.class, () -> folder.fold(null));
        assertThrows(NullPointerException.class, () -> folder.fold("x", null));
        assertEquals(0, folder.fold("").tokenCount());
        assertEquals(0, folder.fold("  ...!!! --- ").tokenCount());
        assertEquals(0, folder.fold("\u0301\u0308").tokenCount(), "lone combining marks fold to nothing");
        // Emoji and other symbols are separators, never letters.
        assertEquals("nike shoes", folder.fold("\uD83D\uDD25 Nike \uD83D\uDD25 shoes").text());
        assertThrows(IllegalArgumentException.class, () -> folder.fold("ab").sourceSpan(1, 1));
    }
}
