package io.brandscan.limits;

/** What a client has used against its limits right now: for a usage page and for tests. */
public record ClientUsage(String clientId, ClientLimits limits, long runningScans, long scansToday, long scansThisMonth) {
}
