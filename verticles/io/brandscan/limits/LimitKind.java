package io.brandscan.limits;

/**
 * The per-client limits, by the names used in conf, in a client document's {@code limits} and
 * in refusals ({@code "limit": "scans_per_day"}).
 */
public enum LimitKind {
    CONCURRENT_SCANS("concurrent_scans"),
    PROVIDER_REQUESTS_PER_MINUTE("provider_requests_per_minute"),
    SCANS_PER_DAY("scans_per_day"),
    SCANS_PER_MONTH("scans_per_month");

    private final String wireName;

    LimitKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
