package io.brandscan.embedding.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the real quantised MiniLM from the langchain4j jar. */
class SentenceEmbedderTest {

    private static SentenceEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = SentenceEmbedder.miniLm();
    }

    @Test
    void loadsOnceAndShares() {
        assertSame(embedder, SentenceEmbedder.miniLm());
        assertEquals(384, embedder.dimension());
    }

    @Test
    void embeddingsAreUnitLengthAndDeterministic() {
        float[] a = embedder.embed("Nike Air Max 90 running shoes");
        assertEquals(384, a.length);
        double norm = 0;
        for (float v : a) {
            norm += v * v;
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-3);
        assertArrayEquals(a, embedder.embed("Nike Air Max 90 running shoes"), 1e-6f);
        assertEquals(1.0, SentenceEmbedder.cosine(a, a), 1e-6);
    }

    @Test
    void distinctTextsAreEmbeddedOnceInBatchesOfTheCap() {
        SentenceEmbedder pairs = embedder.withMaxBatch(2);
        List<String> texts = List.of("kettle", "Nike Air Max", "kettle", "tent", "Nike Air Max", "stove");
        java.util.Map<String, float[]> vectors = pairs.embedDistinct(texts);
        assertEquals(java.util.Set.of("kettle", "Nike Air Max", "tent", "stove"), vectors.keySet());
        for (String t : vectors.keySet()) {
            float[] alone = embedder.embed(t);
            float[] batched = vectors.get(t);
            for (int i = 0; i < alone.length; i++) {
                assertEquals(alone[i], batched[i], 1e-4f, t + " at " + i);
            }
        }
        assertTrue(pairs.embedDistinct(List.of()).isEmpty());
    }

    @Test
    void relatedTitlesAreCloserThanUnrelatedOnes() {
        float[] brand = embedder.embed("Nike: Air Max, Jordan. Athletic shoes and sportswear");
        double same = SentenceEmbedder.cosine(brand, embedder.embed("Nike Air Max 90 mens running shoes"));
        double unrelated = SentenceEmbedder.cosine(brand, embedder.embed("Stainless steel electric kettle 1.7L"));
        assertTrue(same > unrelated + 0.3, same + " vs " + unrelated);
    }

    @Test
    void batchesMatchSingleCallsAndKeepOrder() {
        List<String> titles = List.of("Gucci Marmont bag", "Rolex Submariner watch", "Lego Technic set", "");
        List<float[]> batch = embedder.embedAll(titles);
        assertEquals(titles.size(), batch.size());
        for (int i = 0; i < titles.size(); i++) {
            assertArrayEquals(embedder.embed(titles.get(i)), batch.get(i), 1e-4f, titles.get(i));
        }
        assertEquals(List.of(), embedder.embedAll(List.of()));
    }

    @Test
    void concurrentCallsOnTheSharedModelGiveTheSameVectors() throws Exception {
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            titles.add("Listing number " + i + " authentic designer handbag");
        }
        List<float[]> expected = new ArrayList<>();
        for (String t : titles) {
            expected.add(embedder.embed(t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < titles.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, new java.util.Random(3));
            for (int i : order) {
                futures.add(pool.submit(() -> embedder.embed(titles.get(i))));
            }
            for (int k = 0; k < order.size(); k++) {
                assertArrayEquals(expected.get(order.get(k)), futures.get(k).get(), 1e-5f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badInputs() {
        assertThrows(NullPointerException.class, () -> embedder.embed(null));
        assertThrows(NullPointerException.class, () -> embedder.embedAll(null));
        assertThrows(NullPointerException.class, () -> embedder.embedAll(java.util.Arrays.asList("a", null)));
        SentenceEmbedder small = embedder.withMaxBatch(2);
        assertThrows(IllegalArgumentException.class, () -> small.embedAll(List.of("a", "b", "c")));
        assertThrows(IllegalArgumentException.class, () -> embedder.withMaxBatch(0));
        assertEquals(384, embedder.embed("   ").length, "blank text still embeds");
        assertThrows(IllegalArgumentException.class, () -> SentenceEmbedder.cosine(new float[2], new float[3]));
        assertEquals(0.0, SentenceEmbedder.cosine(new float[3], new float[] {1, 0, 0}), 0.0);
    }
}
