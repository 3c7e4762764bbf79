package io.brandscan.store;

import io.brandscan.scan.ReviewStatus;

import java.util.Objects;

/**
 * Which findings of a scan to read: those scoring at least {@code minScore}, optionally only one
 * review status (null for any), one page of them, highest score first.
 */
public record FindingQuery(double minScore, ReviewStatus reviewStatus, Page page) {
    public FindingQuery {
        if (!Double.isFinite(minScore)) {
            throw new IllegalArgumentException("min score must be a number");
        }
        Objects.requireNonNull(page, "page");
    }

    public static FindingQuery all(Page page) {
        return new FindingQuery(0, null, page);
    }

    public static FindingQuery atLeast(double minScore, Page page) {
        return new FindingQuery(minScore, null, page);
    }
}
