package io.brandscan.registry;

/**
 * The bounds the registry enforces: how long a commit lease lasts, how long an idle batch lives,
 * and how many bytes of results it may hold in all.
 */
public record RegistryLimits(long leaseMillis, long idleExpiryMillis, long memoryBudgetBytes) {
    public static final int MAX_BRAND_LENGTH = 512;
    public static final int MAX_URL_LENGTH = 8192;
    public static final int MAX_ERROR_LENGTH = 2048;

    public RegistryLimits {
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("lease_ms must be positive, got " + leaseMillis);
        }
        if (idleExpiryMillis <= 0) {
            throw new IllegalArgumentException("idle_expiry_ms must be positive, got " + idleExpiryMillis);
        }
        if (memoryBudgetBytes <= 0) {
            throw new IllegalArgumentException("memory_budget_bytes must be positive, got " + memoryBudgetBytes);
        }
    }
}
