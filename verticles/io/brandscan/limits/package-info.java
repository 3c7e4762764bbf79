/**
 * Per-client limits and per-provider rate limits, kept in MongoDB so every process of the
 * platform sees and enforces the same numbers.
 *
 * <p>Entry points: {@link io.brandscan.limits.ClientLimiter} (admit a scan against
 * {@code concurrent_scans}, {@code scans_per_month} and {@code scans_per_day}; release or refund
 * it; take a provider request against {@code provider_requests_per_minute}; read a client's
 * limits and usage) and {@link io.brandscan.limits.SharedProviderRateLimiter} (gather's
 * {@link io.brandscan.gather.ProviderRateLimiter} across processes, chosen by
 * {@link io.brandscan.limits.RateLimiterChoice}). Answers are
 * {@link io.brandscan.limits.LimitDecision}s naming the limit and a Retry-After.
 *
 * <p>Storage: every check is a single-document atomic update (no transactions, so
 * mongo-java-server and a real MongoDB behave alike): day and month counters
 * ({@code client_usage}), running-scan slots ({@code scan_slots}), token buckets
 * ({@code rate_buckets}, compare-and-set on a version). Pure arithmetic lives in
 * {@link io.brandscan.limits.UsagePeriod} and {@link io.brandscan.limits.BucketState}.
 */
package io.brandscan.limits;
