package io.brandscan.limits;

/**
 * One client's limits: scans running at once, provider requests per minute (a token bucket of
 * {@code providerRequestsBurst} tokens refilled at that rate), and scans started per UTC day and
 * per UTC month. Zero refuses everything of that kind (a suspended client). Immutable; the
 * platform defaults come from conf and a client document's {@code limits} overrides them field by
 * field (see {@link LimitsSettings#clientLimits}).
 */
public record ClientLimits(int concurrentScans, int providerRequestsPerMinute, int providerRequestsBurst,
                           long scansPerDay, long scansPerMonth) {
    public ClientLimits {
        requireNotNegative("concurrent_scans", concurrentScans);
        requireNotNegative("provider_requests_per_minute", providerRequestsPerMinute);
        requireNotNegative("scans_per_day", scansPerDay);
        requireNotNegative("scans_per_month", scansPerMonth);
        if (providerRequestsBurst < 1) {
            throw new IllegalArgumentException("provider_requests_burst must be at least 1, got " + providerRequestsBurst);
        }
    }

    /** The numeric value of one limit. */
    public long value(LimitKind kind) {
        return switch (kind) {
            case CONCURRENT_SCANS -> concurrentScans;
            case PROVIDER_REQUESTS_PER_MINUTE -> providerRequestsPerMinute;
            case SCANS_PER_DAY -> scansPerDay;
            case SCANS_PER_MONTH -> scansPerMonth;
        };
    }

    private static void requireNotNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " cannot be negative, got " + value);
        }
    }
}
