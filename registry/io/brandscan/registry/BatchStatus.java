package io.brandscan.registry;

/**
 * A snapshot of one batch for status pages and operators. {@code completed} counts distinct
 * urls done either way; {@code failed} is the part of it reported through {@code /fail}.
 */
public record BatchStatus(
        String brand,
        int expected,
        int completed,
        int failed,
        long duplicates,
        CommitState commitState,
        Long leaseExpiresAtMillis,
        int leaseGrants,
        long createdAtMillis,
        long updatedAtMillis,
        long bytes) {

    public int succeeded() {
        return completed - failed;
    }
}
