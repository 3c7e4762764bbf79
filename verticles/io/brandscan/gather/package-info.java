/**
 * Listing providers for the gather phase: where a scan's marketplace listings come from.
 *
 * <p>Entry points: {@link io.brandscan.gather.ListingProviders#fromConfig} builds the
 * {@code json-feed} ({@link io.brandscan.gather.JsonFeedProvider}) and {@code scraperapi}
 * ({@link io.brandscan.gather.ScraperApiProvider}) providers from the gather verticle's conf;
 * {@link io.brandscan.gather.ListingProvider#fetch} returns
 * {@link io.brandscan.gather.FetchedListings}: valid {@link io.brandscan.gather.Listing}s in
 * provider order (de-duplication is gather's job) plus counted
 * {@link io.brandscan.gather.Rejections}. Failures are
 * {@link io.brandscan.gather.ProviderException}s whose {@link io.brandscan.gather.ProviderError}
 * says whether a later retry can help.
 *
 * <p>Threading: providers never block. HTTP goes through Vert.x clients with connect and total
 * timeouts and byte caps ({@link io.brandscan.gather.BoundedHttpGet}); a fetch runs on the
 * caller's context (or a fresh one when called from a plain thread); feeds above
 * {@code feed_inline_parse_bytes} are parsed on a worker thread. Pure logic (listing validation,
 * price text, retry timing, token buckets) has no Vert.x dependency beyond JSON types and takes
 * time as an argument.
 *
 * <p>Seams for the pipeline: {@link io.brandscan.gather.FeedUrlGuard} (wire to the acquire
 * side's SSRF URL policy) and {@link io.brandscan.gather.ProviderRateLimiter} (in-process
 * {@link io.brandscan.gather.TokenBucketRateLimiter}, or the MongoDB-backed
 * io.brandscan.limits.SharedProviderRateLimiter shared by every process, chosen by
 * {@code gather.rate_limiter}).
 */
package io.brandscan.gather;
