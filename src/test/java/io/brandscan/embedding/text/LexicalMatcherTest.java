package io.brandscan.embedding.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LexicalMatcherTest {

    private static final LexicalMatcher MATCHER = new LexicalMatcher();
    private static final double THRESHOLD = TextScoringSettings.defaults().lexicalThreshold();

    private static final BrandTerms NIKE = BrandTerms.of(List.of("Nike"), List.of("Nikey"), List.of("Air Max", "Jordan"));
    private static final BrandTerms LV = BrandTerms.of(List.of("Louis Vuitton", "LV"), List.of(), List.of("Neverfull"));
    private static final BrandTerms ON = BrandTerms.of(List.of("On"), List.of(), List.of("Cloudmonster", "Cloud 5"));
    private static final BrandTerms GAP = BrandTerms.of(List.of("Gap"), List.of(), List.of("Gap Kids", "GapFit"));

    private static LexicalMatch match(String title, BrandTerms brand) {
        return MATCHER.match(title, brand);
    }

    private static void assertMatches(String title, BrandTerms brand, MatchRule rule, String spanText) {
        LexicalMatch m = match(title, brand);
        assertEquals(rule, m.rule(), () -> title + " -> " + m);
        assertTrue(m.score() >= THRESHOLD, () -> title + " scored " + m.score());
        assertEquals(spanText, m.titleSpan().text(), () -> title + " -> " + m);
        assertEquals(spanText, title.substring(m.titleSpan().start(), m.titleSpan().end()));
    }

    private static void assertNoMatch(String title, BrandTerms brand) {
        LexicalMatch m = match(title, brand);
        assertTrue(m.score() < THRESHOLD, () -> title + " should not match but got " + m);
    }

    @Test
    void exactName() {
        LexicalMatch m = match("Nike Air Max 90 mens running", NIKE);
        assertEquals(MatchRule.EXACT_NAME, m.rule());
        assertEquals(TermKind.NAME, m.termKind());
        assertEquals("Nike", m.brandTerm());
        assertEquals(new TitleSpan(0, 4, "Nike"), m.titleSpan());
        assertEquals(Set.of(), m.folds());
        assertEquals("Air Max", m.keyword(), "the product line beside the name is reported");
        assertEquals(1.0, m.score(), 1e-12);
        assertMatches("Brand new NIKE sneakers", NIKE, MatchRule.EXACT_NAME, "NIKE");
    }

    @Test
    void knownMisspelling() {
        LexicalMatch m = match("Nikey running shoes", NIKE);
        assertEquals(MatchRule.KNOWN_MISSPELLING, m.rule());
        assertEquals(TermKind.MISSPELLING, m.termKind());
        assertEquals("Nikey", m.brandTerm());
    }

    @Test
    void homoglyphsFromTurkishCyrillicGreekAndFullWidth() {
        for (String title : List.of("Nıke shoes", "N\u0456ke shoes", "\u039D\u0399\u039A\u0395 shoes", "\uFF2E\uFF49\uFF4B\uFF45 shoes")) {
            LexicalMatch m = match(title, NIKE);
            assertEquals(MatchRule.FOLDED_NAME, m.rule(), title);
            assertEquals(Set.of(FoldStep.HOMOGLYPH), m.folds(), title);
            assertEquals(title.split(" ")[0], m.titleSpan().text());
        }
    }

    @Test
    void leetspeakWithBothReadingsOfOne() {
        LexicalMatch n1ke = match("N1ke trainers", NIKE);
        assertEquals(MatchRule.FOLDED_NAME, n1ke.rule());
        assertEquals(Set.of(FoldStep.LEET), n1ke.folds());
        // "1" must also read as "l": "1ouis" is "louis".
        LexicalMatch lv = match("1ouis Vuitt0n speedy bag", LV);
        assertEquals(MatchRule.FOLDED_NAME, lv.rule(), lv.toString());
        assertEquals(Set.of(FoldStep.LEET), lv.folds());
        assertEquals("1ouis Vuitt0n", lv.titleSpan().text());
    }

    @Test
    void spacedOutAndPunctuatedNames() {
        assertMatches("n i k e shoes", NIKE, MatchRule.FOLDED_NAME, "n i k e");
        assertMatches("Genuine n.i.k.e. shoes", NIKE, MatchRule.FOLDED_NAME, "n.i.k.e");
        assertMatches("ni-ke shoes", NIKE, MatchRule.FOLDED_NAME, "ni-ke");
        assertMatches("ni ke shoes", NIKE, MatchRule.FOLDED_NAME, "ni ke");
        assertEquals(Set.of(FoldStep.SPACING), match("n i k e shoes", NIKE).folds());
    }

    @Test
    void nameGluedToAnotherWord() {
        assertMatches("nikeshoes size 10", NIKE, MatchRule.GLUED_NAME, "nike");
        assertMatches("cheap-airjordan-nikeoutlet", NIKE, MatchRule.GLUED_NAME, "nike");
        assertMatches("louisvuittonbag monogram", LV, MatchRule.GLUED_NAME, "louisvuitton");
    }

    @Test
    void nameInsideChineseOrJapaneseText() {
        assertMatches("耐克Nike运动鞋男款", NIKE, MatchRule.EXACT_NAME, "Nike");
    }

    @Test
    void multiWordNames() {
        assertMatches("Louis Vuitton Neverfull MM", LV, MatchRule.EXACT_NAME, "Louis Vuitton");
        assertMatches("LOUIS   VUITTON bag", LV, MatchRule.EXACT_NAME, "LOUIS   VUITTON");
        LexicalMatch joined = match("louisvuitton bag", LV);
        assertEquals(MatchRule.FOLDED_NAME, joined.rule());
        assertEquals(Set.of(FoldStep.SPACING), joined.folds());
        assertMatches("Louis Vuiton speedy", LV, MatchRule.EDIT_DISTANCE, "Louis Vuiton");
        BrandTerms tnf = BrandTerms.ofNames("The North Face");
        assertMatches("Thy North Face fleece", tnf, MatchRule.EDIT_DISTANCE, "Thy North Face");
    }

    @Test
    void editDistanceWithTranspositionsAndTheDistanceReported() {
        LexicalMatch m = match("Nkie running shoes", NIKE);
        assertEquals(MatchRule.EDIT_DISTANCE, m.rule());
        assertEquals(1, m.editDistance());
        assertEquals("Nkie", m.titleSpan().text());
        BrandTerms adidas = BrandTerms.ofNames("Adidas");
        LexicalMatch two = match("Adidsa Addias superstar", adidas);
        assertEquals(MatchRule.EDIT_DISTANCE, two.rule());
        assertEquals(1, two.editDistance());
        assertMatches("Adibas trainers", adidas, MatchRule.EDIT_DISTANCE, "Adibas");
        assertNoMatch("Abibass trainers", adidas); // three edits: too far for six letters
    }

    @Test
    void ngramCatchesLongNamesWithScatteredErrors() {
        BrandTerms b = BrandTerms.ofNames("Balenciaga");
        LexicalMatch m = match("Balensiagga triple s", b);
        assertTrue(m.score() >= THRESHOLD, m.toString());
        assertTrue(m.ngramSimilarity() > 0.5, m.toString());
    }

    @Test
    void unrelatedTitlesDoNotMatch() {
        assertEquals(LexicalMatch.none(), match("Stainless steel electric kettle 1.7L", NIKE));
        assertNoMatch("Organic green tea 100 bags", LV);
        assertFalse(match("Cast iron skillet", NIKE).matched());
    }

    @Test
    void competitorsDoNotMatch() {
        assertNoMatch("Adidas Ultraboost running shoes", NIKE);
        assertNoMatch("Puma Suede Classic sneakers", NIKE);
        assertNoMatch("Reebok Club C", NIKE);
        assertNoMatch("Gucci Marmont bag", LV);
        assertNoMatch("Canada oose parka", BrandTerms.ofNames("Bose"));
    }

    @Test
    void everydayWordsWithinEditDistanceDoNotMatch() {
        for (String title : List.of("Nice bike for kids", "Mike's like new helmet", "Nine West heels", "Nile cruise poster")) {
            assertNoMatch(title, NIKE);
        }
        assertNoMatch("Channel 5 remote control", BrandTerms.ofNames("Chanel"));
        assertNoMatch("Basics cotton t-shirt", BrandTerms.ofNames("Asics"));
        assertNoMatch("Door stopper rubber", BrandTerms.ofNames("Dior"));
        assertNoMatch("Film camera 35mm", BrandTerms.ofNames("Fila"));
    }

    @Test
    void wordsAcrossTokenBoundariesDoNotMatch() {
        // "mini kettle" contains n-i-k-e across the space, and "bigapple" contains "gap".
        assertNoMatch("Mini kettle 0.5L", NIKE);
        assertNoMatch("Singapore skyline poster", GAP);
        assertNoMatch("Big apple poster", GAP);
    }

    @Test
    void shortNamesNeedConfirmation() {
        // Lowercase everyday uses never count without a keyword.
        assertEquals(MatchRule.NONE, match("Shoes on sale today", ON).rule());
        assertEquals(MatchRule.NONE, match("Mind the gap t-shirt", GAP).rule());
        // A capitalised short name alone is reported but stays below the threshold.
        LexicalMatch alone = match("GAP hoodie grey", GAP);
        assertEquals(MatchRule.AMBIGUOUS_NAME, alone.rule());
        assertTrue(alone.score() < THRESHOLD);
        // A keyword confirms it.
        LexicalMatch confirmed = match("On Cloudmonster running shoe", ON);
        assertEquals(MatchRule.EXACT_NAME, confirmed.rule());
        assertTrue(confirmed.score() >= THRESHOLD);
        assertEquals("Cloudmonster", confirmed.keyword());
        assertEquals(new TitleSpan(3, 15, "Cloudmonster"), confirmed.keywordSpan());
        // Short names never get fuzzy matching: "Gop" and "Oon" are nothing.
        assertNoMatch("Gop hoodie", GAP);
        assertNoMatch("Oon running shoes", ON);
    }

    @Test
    void disguisedShortNamesAreTheBrand() {
        // Nobody writes an everyday word with a Cyrillic letter, digits or spaced-out letters.
        assertMatches("Authentic G\u0430p hoodie", GAP, MatchRule.FOLDED_NAME, "G\u0430p");
        assertMatches("G A P hoodie", GAP, MatchRule.FOLDED_NAME, "G A P");
        assertMatches("\u039Fn running shoes", ON, MatchRule.FOLDED_NAME, "\u039Fn");
        BrandTerms coach = BrandTerms.ofNames("Coach");
        assertMatches("C0ach wallet", coach, MatchRule.FOLDED_NAME, "C0ach");
    }

    @Test
    void shortNameTranspositionAtTheStartStillMatches() {
        assertMatches("aVns old skool", BrandTerms.ofNames("Vans"), MatchRule.EDIT_DISTANCE, "aVns");
        assertNoMatch("ans old skool", BrandTerms.ofNames("Vans"));
    }

    @Test
    void everydayWordBrandsAreAmbiguousToo() {
        BrandTerms coach = BrandTerms.of(List.of("Coach"), List.of(), List.of("Tabby"));
        assertEquals(MatchRule.NONE, match("soccer coach whistle", coach).rule());
        assertTrue(match("Coach bus toy model", coach).score() < THRESHOLD);
        assertTrue(match("Coach Tabby shoulder bag", coach).score() >= THRESHOLD);
    }

    @Test
    void keywordAloneScoresBelowTheThreshold() {
        LexicalMatch m = match("Air Jordan 1 retro high", NIKE);
        assertEquals(MatchRule.KEYWORD, m.rule());
        assertEquals(TermKind.KEYWORD, m.termKind());
        assertEquals("Jordan", m.brandTerm());
        assertTrue(m.score() > 0 && m.score() < THRESHOLD);
    }

    @Test
    void keywordBoostsANameMatch() {
        assertTrue(match("Nkie Air Max", NIKE).score() > match("Nkie running", NIKE).score());
    }

    @Test
    void compiledLexiconGivesTheSameAnswers() {
        BrandLexicon compiled = MATCHER.compile(NIKE);
        assertEquals(NIKE, compiled.terms());
        for (String title : List.of("Nike Air Max", "N1ke", "n i k e", "nikeshoes", "Nkie", "nice bike", "Jordan 1", "")) {
            assertEquals(MATCHER.match(title, NIKE), MATCHER.match(title, compiled), title);
        }
    }

    @Test
    void foldsAreReportedInFoldOrder() {
        LexicalMatch m = match("N.1.\u039A.E trainers", NIKE);
        assertEquals(List.of(FoldStep.HOMOGLYPH, FoldStep.LEET, FoldStep.SPACING), List.copyOf(m.folds()));
        assertThrows(UnsupportedOperationException.class, () -> m.folds().add(FoldStep.CASE));
    }

    @Test
    void settingsFromConfig() {
        LexicalSettings strict = LexicalSettings.fromConfig(java.util.Map.of("one_edit_min_length", 5,
                "two_edits_min_length", 7, "max_title_chars", 64));
        assertEquals(0, strict.maxEdits(4));
        assertEquals(1, strict.maxEdits(6));
        assertEquals(LexicalSettings.defaults().exactScore(), strict.exactScore(), 0.0);
        LexicalMatcher m = new LexicalMatcher(strict, CommonWords.bertVocabulary());
        assertEquals(MatchRule.NONE, m.match("Nkie shoes", NIKE).rule(), "no edits for four letters now");
        assertThrows(IllegalArgumentException.class, () -> LexicalSettings.fromConfig(java.util.Map.of("glued_score", 2.0)));
        assertThrows(IllegalArgumentException.class, () -> LexicalSettings.fromConfig(java.util.Map.of("max_title_chars", "long")));
        assertThrows(IllegalArgumentException.class,
                () -> LexicalSettings.fromConfig(java.util.Map.of("two_edits_min_length", 3)), "limits must be ordered");
    }

    @Test
    void badInputs() {
        assertThrows(NullPointerException.class, () -> match(null, NIKE));
        assertThrows(NullPointerException.class, () -> match("Nike", null));
        assertEquals(LexicalMatch.none(), match("", NIKE));
        assertEquals(LexicalMatch.none(), match("   !!! ", NIKE));
        assertThrows(IllegalArgumentException.class, () -> BrandTerms.ofNames(" ", ""));
        assertThrows(NullPointerException.class, () -> new BrandTerms(java.util.Arrays.asList("Nike", null), List.of(), List.of(), ""));
        // Titles are cut to max_title_chars: a name beyond the cut is not seen, and nothing blows up.
        String padding = "x ".repeat(2000);
        assertEquals(MatchRule.NONE, match(padding + "Nike", NIKE).rule());
        assertEquals(MatchRule.EXACT_NAME, match("Nike " + padding, NIKE).rule());
    }
}
