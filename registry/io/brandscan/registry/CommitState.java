package io.brandscan.registry;

/** Where a batch stands on the way to its single commit. */
public enum CommitState {
    /** Still waiting for urls. */
    PENDING,
    /** Complete, and a worker holds a live commit lease. */
    LEASED,
    /** Complete, but the last lease expired without a commit: the next claim takes it over. */
    AVAILABLE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
