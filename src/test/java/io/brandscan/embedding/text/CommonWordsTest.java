package io.brandscan.embedding.text;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommonWordsTest {

    @Test
    void bertVocabularyHoldsOrdinaryWordsRoughlyByFrequency() {
        CommonWords words = CommonWords.bertVocabulary();
        assertSame(words, CommonWords.bertVocabulary(), "read once");
        assertTrue(words.size() > 15_000, "whole words only, about 20k: " + words.size());
        for (String w : List.of("nice", "bike", "channel", "door", "basics", "film")) {
            assertTrue(words.contains(w), w);
        }
        assertFalse(words.contains("nikee"));
        assertFalse(words.contains("##ing"), "word pieces are not words");
        // Everyday words rank high; brand names that happen to be in the vocabulary rank low.
        assertTrue(words.isAmongMostFrequent("gap", 5000));
        assertTrue(words.isAmongMostFrequent("coach", 5000));
        assertFalse(words.isAmongMostFrequent("nike", 5000));
        assertFalse(words.isAmongMostFrequent("gucci", 5000));
    }

    @Test
    void customListsAndBadInputs() {
        CommonWords words = CommonWords.of(List.of("The", "shoe", "bag"));
        assertTrue(words.contains("the"), "stored lowercase");
        assertTrue(words.isAmongMostFrequent("shoe", 2));
        assertFalse(words.isAmongMostFrequent("bag", 2));
        assertThrows(NullPointerException.class, () -> words.contains(null));
    }
}
