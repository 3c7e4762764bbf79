/**
 * Text similarity between listing titles and brand names.
 *
 * <p>Entry point: {@link io.brandscan.embedding.text.TextScorer}. Build one per process
 * ({@code TextScorer.withMiniLm()} or {@code TextScorer.lexicalOnly()}), prepare each brand once
 * with {@code profile(BrandTerms)}, then {@code score(title, profile)} or
 * {@code scoreAll(titles, profile)}; every {@link io.brandscan.embedding.text.TextScore} says which
 * {@link io.brandscan.embedding.text.MatchRule} matched, on which part of the title, against which
 * brand term, after which {@link io.brandscan.embedding.text.FoldStep}s.
 *
 * <p>Threading: everything here is immutable or thread-safe. The lexical part is pure CPU work of
 * tens of microseconds per (title, brand); the embedding part is ONNX inference of a few
 * milliseconds per title and must run on a worker thread, never on a Vert.x event loop.
 */
package io.brandscan.embedding.text;
