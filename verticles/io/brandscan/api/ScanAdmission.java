package io.brandscan.api;

import io.vertx.core.Future;

/**
 * The one place a scan start is admitted or refused, asked by {@code POST /api/v1/scans} after the
 * brand is found and before the scan is stored. Per-client limits (concurrent scans, scans per
 * day and month...) plug in here; {@link #ADMIT_ALL} is the default until they do. A failed
 * future (the limit store unreachable) fails the request with 500 rather than admitting blindly.
 */
@FunctionalInterface
public interface ScanAdmission {
    /** Admits everything: no per-client limits. */
    ScanAdmission ADMIT_ALL = (clientId, scanId) -> Future.succeededFuture(Admission.admitted());

    /** Admits (and counts) the scan {@code scanId} the caller is about to store, or refuses it. */
    Future<Admission> admit(String clientId, String scanId);

    /** Gives back an admission whose scan was never stored. */
    default Future<Void> refund(String clientId, String scanId) {
        return Future.succeededFuture();
    }

    /** Frees the scan's concurrency slot at once (a cancel) instead of when the limiter next reconciles. */
    default Future<Void> release(String clientId, String scanId) {
        return Future.succeededFuture();
    }
}
