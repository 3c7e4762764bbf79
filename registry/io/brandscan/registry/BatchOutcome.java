package io.brandscan.registry;

/**
 * What a submit, fail or claim did to a batch. {@code lease} is non-null exactly when
 * {@code shouldCommit} is true: the caller now holds the batch's commit.
 */
public record BatchOutcome(
        String brand,
        boolean shouldCommit,
        boolean duplicate,
        int completed,
        int failed,
        int expected,
        CommitLease lease) {

    public BatchOutcome {
        if (shouldCommit != (lease != null)) {
            throw new IllegalArgumentException("a lease comes with should_commit and only with it");
        }
    }
}
