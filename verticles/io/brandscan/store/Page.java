package io.brandscan.store;

/**
 * Which slice of a sorted result to return. Repositories cap {@code limit} at their configured
 * page maximum, so no caller can ask for an unbounded read.
 */
public record Page(int offset, int limit) {
    public Page {
        if (offset < 0) {
            throw new IllegalArgumentException("page offset cannot be negative");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("page limit must be at least 1");
        }
    }

    public static Page first(int limit) {
        return new Page(0, limit);
    }

    public Page next() {
        return new Page(offset + limit, limit);
    }

    Page cappedAt(int max) {
        return limit <= max ? this : new Page(offset, max);
    }
}
