package io.brandscan.embedding.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The combined text score with the real MiniLM model. */
class TextScorerTest {

    private static TextScorer scorer;
    private static BrandTextProfile nike;
    private static BrandTextProfile gap;

    @BeforeAll
    static void load() {
        scorer = TextScorer.withMiniLm();
        nike = scorer.profile(new BrandTerms(List.of("Nike"), List.of("Nikey"), List.of("Air Max", "Jordan"),
                "athletic shoes, sneakers and sportswear"));
        gap = scorer.profile(new BrandTerms(List.of("Gap"), List.of(), List.of("Gap Kids", "GapFit"),
                "clothing, jeans, t-shirts and casual fashion"));
    }

    @Test
    void brandVariantsMatchWithTheirExplanation() {
        TextScore exact = scorer.score("Nike Air Max 90 mens running shoes", nike);
        assertTrue(exact.matched());
        assertEquals(MatchRule.EXACT_NAME, exact.rule());
        assertEquals("Nike", exact.brandTerm());
        assertEquals(TermKind.NAME, exact.termKind());
        assertEquals(new TitleSpan(0, 4, "Nike"), exact.titleSpan());
        assertTrue(exact.embeddingUsed());
        assertTrue(exact.embeddingScore() > 0.5, "same product context: " + exact.embeddingScore());
        assertEquals(scorer.settings().combine(exact.lexicalScore(), exact.embeddingScore()), exact.score(), 1e-12);

        TextScore homoglyph = scorer.score("N\u0456ke running shoes", nike);
        assertTrue(homoglyph.matched());
        assertEquals(MatchRule.FOLDED_NAME, homoglyph.rule());
        assertEquals(Set.of(FoldStep.HOMOGLYPH), homoglyph.folds());

        TextScore spaced = scorer.score("n i k e trainers", nike);
        assertTrue(spaced.matched());
        assertEquals("n i k e", spaced.titleSpan().text());
    }

    @Test
    void competitorsAndUnrelatedTitlesStayLowEvenWhenTheEmbeddingLikesThem() {
        TextScore competitor = scorer.score("Adidas Ultraboost running shoes", nike);
        assertFalse(competitor.matched(), competitor.toString());
        assertEquals(0.0, competitor.lexicalScore(), 0.0);
        assertTrue(competitor.embeddingCosine() > 0.3, "embeddings see the same category: " + competitor.embeddingCosine());
        TextScore kettle = scorer.score("Stainless steel electric kettle 1.7L", nike);
        assertFalse(kettle.matched());
        assertEquals(MatchRule.NONE, kettle.rule());
        assertTrue(kettle.score() < competitor.score());
    }

    @Test
    void theEmbeddingConfirmsACapitalisedShortNameOnlyInTheBrandsContext() {
        TextScore dress = scorer.score("GAP denim jeans and t-shirt bundle", gap);
        assertEquals(MatchRule.AMBIGUOUS_NAME, dress.rule());
        assertTrue(dress.contextConfirmed(), dress.toString());
        assertTrue(dress.matched(), dress.toString());
        assertTrue(dress.lexicalScore() > dress.lexical().score());

        TextScore journal = scorer.score("Gap Year travel journal notebook", gap);
        assertFalse(journal.contextConfirmed(), journal.toString());
        assertFalse(journal.matched(), journal.toString());

        // A t-shirt reads like Gap's products, but a lowercase "gap" is not the name: only the
        // embedding speaks for it, and that is not enough.
        TextScore lower = scorer.score("Mind the gap t-shirt", gap);
        assertEquals(MatchRule.NONE, lower.lexical().rule());
        assertFalse(lower.contextConfirmed());
        assertFalse(lower.matched(), lower.toString());
    }

    @Test
    void batchedScoringEqualsOneByOneWithRepeatedTitlesEmbeddedOnce() {
        TextScorer small = new TextScorer(new LexicalMatcher(), SentenceEmbedder.miniLm(),
                TextScoringSettings.fromConfig(Map.of("max_batch", 2)));
        BrandTextProfile profile = small.profile(nike.terms());
        // Repeats (sellers copy titles) are embedded once and must score exactly like their first.
        List<String> titles = List.of("Nike Air Max", "Nkie shoes", "kettle", "Nike Air Max", "n1ke", "kettle",
                "Jordan retro", "Nike Air Max");
        List<TextScore> batched = small.scoreAll(titles, profile);
        assertEquals(titles.size(), batched.size());
        List<TextScore> single = new ArrayList<>();
        for (String t : titles) {
            single.add(small.score(t, profile));
        }
        for (int i = 0; i < titles.size(); i++) {
            assertEquals(single.get(i).rule(), batched.get(i).rule());
            assertEquals(single.get(i).score(), batched.get(i).score(), 1e-4, titles.get(i));
            assertEquals(batched.get(titles.indexOf(titles.get(i))), batched.get(i), "repeat of " + titles.get(i));
        }
    }

    @Test
    void keptTitleScoresAreReusedAcrossCallsAndEqualFreshOnes() {
        TitleScores kept = new TitleScores(nike, 100);
        List<String> page1 = List.of("Nike Air Max", "kettle", "Nike Air Max", "Nkie shoes");
        List<String> page2 = List.of("kettle", "Jordan retro", "Nkie shoes", "kettle");
        List<TextScore> first = scorer.scoreAll(page1, kept);
        assertEquals(3, kept.size(), "each distinct title kept once");
        List<TextScore> second = scorer.scoreAll(page2, kept);
        assertEquals(4, kept.size());
        // A title met on page 1 is not scored again on page 2: the very same score comes back.
        assertSame(first.get(1), second.get(0));
        assertSame(first.get(3), second.get(2));
        List<TextScore> fresh = scorer.scoreAll(page2, nike);
        for (int i = 0; i < page2.size(); i++) {
            assertEquals(fresh.get(i), second.get(i), page2.get(i));
        }

        // Full: titles past the bound are scored every time, and still correctly.
        TitleScores tiny = new TitleScores(nike, 1);
        List<TextScore> bounded = scorer.scoreAll(page1, tiny);
        assertEquals(1, tiny.size());
        for (int i = 0; i < page1.size(); i++) {
            assertEquals(first.get(i), bounded.get(i), page1.get(i));
        }
        assertThrows(IllegalArgumentException.class, () -> new TitleScores(nike, -1));
    }

    @Test
    void lexicalOnlyScorerNeedsNoModel() {
        TextScorer lexical = TextScorer.lexicalOnly();
        BrandTextProfile profile = lexical.profile(nike.terms());
        assertFalse(profile.hasEmbedding());
        TextScore s = lexical.score("Nikey sneakers", profile);
        assertFalse(s.embeddingUsed());
        assertEquals(MatchRule.KNOWN_MISSPELLING, s.rule());
        assertEquals(s.lexicalScore(), s.score(), 0.0);
        assertTrue(s.matched());
        assertEquals(0.0, s.embeddingScore(), 0.0);
    }

    @Test
    void onlyTheEmbeddingCanNameTheEmbeddingRule() {
        TextScore s = scorer.combine(LexicalMatch.none(), 0.95, true);
        assertEquals(MatchRule.EMBEDDING, s.rule());
        assertFalse(s.matched(), "embedding alone never passes the combined threshold by default");
        assertEquals(MatchRule.NONE, scorer.combine(LexicalMatch.none(), 0.1, true).rule());
    }

    @Test
    void settingsFromConfigAndBadValues() {
        TextScoringSettings s = TextScoringSettings.fromConfig(Map.of("lexical_weight", 0.5, "embedding_weight", 0.5,
                "combined_threshold", 0.7));
        assertEquals(0.5, s.lexicalWeight(), 0.0);
        assertEquals(0.7, s.combinedThreshold(), 0.0);
        assertEquals(TextScoringSettings.defaults().cosineFloor(), s.cosineFloor(), 0.0);
        assertEquals(0.75, s.combine(1.0, 0.5), 1e-12);
        assertEquals(0.0, s.embeddingScore(-0.5), 0.0);
        assertEquals(1.0, s.embeddingScore(0.99), 0.0);
        assertThrows(IllegalArgumentException.class, () -> TextScoringSettings.fromConfig(Map.of("lexical_weight", "heavy")));
        assertThrows(IllegalArgumentException.class, () -> TextScoringSettings.fromConfig(Map.of("combined_threshold", 1.5)));
        assertThrows(IllegalArgumentException.class, () -> TextScoringSettings.fromConfig(Map.of("lexical_weight", 0, "embedding_weight", 0)));
        assertThrows(IllegalArgumentException.class, () -> TextScoringSettings.fromConfig(Map.of("cosine_floor", 0.9)));
        assertThrows(IllegalArgumentException.class, () -> TextScoringSettings.fromConfig(Map.of("max_batch", 0)));
        assertThrows(NullPointerException.class, () -> scorer.score(null, nike));
        assertThrows(NullPointerException.class, () -> scorer.score("x", null));
    }
}
