package io.brandscan.api;

import io.brandscan.limits.ClientLimiter;
import io.brandscan.limits.LimitDecision;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Objects;

/**
 * Scan admission by the per-client limits of {@link ClientLimiter}: concurrent scans, scans per
 * UTC day and per UTC month, each counted in MongoDB so every API process shares them. A refusal
 * carries the limit's name and the limiter's Retry-After.
 */
public final class LimitsAdmission implements ScanAdmission {
    private final ClientLimiter limiter;

    public LimitsAdmission(ClientLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    @Override
    public Future<Admission> admit(String clientId, String scanId) {
        return limiter.admitScan(clientId, scanId).map(LimitsAdmission::admission);
    }

    @Override
    public Future<Void> refund(String clientId, String scanId) {
        return limiter.refundScan(clientId, scanId);
    }

    @Override
    public Future<Void> release(String clientId, String scanId) {
        return limiter.releaseScan(clientId, scanId).mapEmpty();
    }

    static Admission admission(LimitDecision decision) {
        return decision.allowed() ? Admission.admitted()
                : Admission.refused(decision.limit().wireName(), decision.message(),
                        Duration.ofSeconds(Math.max(1, decision.retryAfterSeconds())));
    }
}
