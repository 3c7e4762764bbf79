/**
 * Infringement scoring: how alike a listing's image is to a brand's reference images
 * ({@link io.brandscan.embedding.scoring.ImageSimilarity}, {@code image_score}), and the
 * infringement probability of a listing for a brand from image, text and bonus signals
 * ({@link io.brandscan.embedding.scoring.InfringementScorer}), with a breakdown of every part.
 *
 * <p>Entry points for the pipeline's AI verticle: build one
 * {@code InfringementScorer(TextScorer, ImageSimilarity)} per process; per brand and scan, one
 * {@link io.brandscan.embedding.scoring.BrandReference} (reference image signatures, the text
 * profile, reference price, {@link io.brandscan.embedding.scoring.SellerAllowlist}, and
 * {@link io.brandscan.embedding.scoring.BrandScoringConfig#fromBrand} from the brand document);
 * then {@code scoreAll(listings, brand)} on a worker thread, and
 * {@link io.brandscan.embedding.scoring.ScoreJson#toJson} for what is stored and shown.
 *
 * <p>Everything here is pure and immutable except {@code ScoreJson}, which only builds Vert.x
 * JSON objects. Scoring is arithmetic; only the text scorer's sentence embeddings block.
 */
package io.brandscan.embedding.scoring;
