package io.brandscan.embedding.text;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sentence embeddings for titles and brand descriptions: the quantised all-MiniLM-L6-v2 that
 * ships inside the langchain4j jar (384 dimensions, unit length, mean pooling), run in process by
 * ONNX Runtime.
 *
 * <p><b>Blocking.</b> {@link #embed} and {@link #embedAll} run CPU inference (a few milliseconds per
 * title): call them from a worker thread ({@code executeBlocking}, a worker verticle or a named
 * worker pool), never from an event loop.
 *
 * <p><b>Load once, share.</b> The model is read into an ONNX Runtime session once per JVM (the
 * langchain4j class holds it in a static field) and {@link #miniLm()} hands out one shared
 * instance. That instance is thread-safe: ONNX Runtime allows concurrent {@code run} calls on one
 * session, the Hugging Face tokenizer is stateless per call, and langchain4j itself calls one
 * encoder from several threads. Batches run on the calling thread (we give langchain4j a
 * same-thread executor) so the caller's worker pool is the only concurrency bound, and each batch
 * is capped at {@link #maxBatch()} texts.
 */
public final class SentenceEmbedder {

    private static final Logger LOG = LoggerFactory.getLogger(SentenceEmbedder.class);

    /** Default cap on texts per {@link #embedAll} call. */
    public static final int DEFAULT_MAX_BATCH = 64;

    private static volatile SentenceEmbedder shared;

    private final EmbeddingModel model;
    private final int maxBatch;

    private SentenceEmbedder(EmbeddingModel model, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1");
        }
        this.model = model;
        this.maxBatch = maxBatch;
    }

    /** The shared MiniLM embedder, loaded on first call (blocking, about a second). */
    public static SentenceEmbedder miniLm() {
        SentenceEmbedder e = shared;
        if (e == null) {
            synchronized (SentenceEmbedder.class) {
                e = shared;
                if (e == null) {
                    long t0 = System.nanoTime();
                    e = new SentenceEmbedder(new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run), DEFAULT_MAX_BATCH);
                    // Warm up so the first real request does not pay for session initialisation.
                    e.embed("warm up");
                    LOG.info("Loaded all-MiniLM-L6-v2 (quantised) sentence embedder in {} ms",
                            (System.nanoTime() - t0) / 1_000_000);
                    shared = e;
                }
            }
        }
        return e;
    }

    /** The shared model with a different batch cap (the model itself is still loaded once). */
    public SentenceEmbedder withMaxBatch(int newMaxBatch) {
        return new SentenceEmbedder(model, newMaxBatch);
    }

    public int maxBatch() {
        return maxBatch;
    }

    public int dimension() {
        return model.dimension();
    }

    /** The unit-length embedding of {@code text}. Blocking. */
    public float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        return model.embed(nonBlank(text)).content().vector();
    }

    /** Embeddings of {@code texts}, in order; at most {@link #maxBatch()} texts. Blocking. */
    public List<float[]> embedAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (texts.size() > maxBatch) {
            throw new IllegalArgumentException("batch of " + texts.size() + " texts exceeds max_batch " + maxBatch);
        }
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(nonBlank(Objects.requireNonNull(t, "texts must not contain null"))));
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (Embedding e : model.embedAll(segments).content()) {
            out.add(e.vector());
        }
        return out;
    }

    /**
     * The embedding of each distinct text among {@code texts} (any number of them), embedded in
     * batches of at most {@link #maxBatch()}: titles repeat, and each is embedded once. Blocking.
     */
    public Map<String, float[]> embedDistinct(Collection<String> texts) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(texts));
        Map<String, float[]> vectors = new HashMap<>(distinct.size() * 2);
        for (int from = 0; from < distinct.size(); from += maxBatch) {
            List<String> batch = distinct.subList(from, Math.min(distinct.size(), from + maxBatch));
            List<float[]> embedded = embedAll(batch);
            for (int i = 0; i < batch.size(); i++) {
                vectors.put(batch.get(i), embedded.get(i));
            }
        }
        return vectors;
    }

    /** Cosine similarity of two vectors of the same length, in -1..1 (0 if either is all zeros). */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("dimensions differ: " + a.length + " vs " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 0.0;
        }
        return Math.max(-1.0, Math.min(1.0, dot / Math.sqrt(na * nb)));
    }

    /** langchain4j refuses blank text, so a blank title embeds as a neutral one-character placeholder. */
    private static String nonBlank(String text) {
        return text.isBlank() ? "-" : text;
    }
}
