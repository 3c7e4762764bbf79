package io.brandscan.pipeline;

import io.brandscan.ops.Meters;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanState;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The scan metrics: scans started and ended per client and outcome, listings scored and findings
 * per client (usage), the whole scan's duration and each phase's (from the scan's state times:
 * gathering until acquiring is the gather phase, and so on).
 */
final class ScanMeters {
    private ScanMeters() {
    }

    static void started(String clientId) {
        Meters.registry().counter("brandscan.scans.started", "client", clientId).increment();
    }

    static void ended(Scan scan) {
        MeterRegistry meters = Meters.registry();
        String state = scan.state().wireName();
        meters.counter("brandscan.scans.ended", "client", scan.clientId(), "state", state).increment();
        meters.counter("brandscan.listings.scored", "client", scan.clientId()).increment(scan.counts().scored());
        meters.counter("brandscan.findings", "client", scan.clientId()).increment(scan.counts().findings());
        Instant end = scan.stateTimes().getOrDefault(scan.state(), scan.updatedAt());
        meters.timer("brandscan.scan.duration", "state", state).record(Duration.between(scan.createdAt(), end));
        Map<ScanState, Instant> times = scan.stateTimes();
        ScanState[] order = {ScanState.QUEUED, ScanState.GATHERING, ScanState.ACQUIRING, ScanState.COMMITTING,
                ScanState.SCORING, scan.state()};
        for (int i = 0; i + 1 < order.length; i++) {
            Instant from = times.get(order[i]);
            Instant to = times.get(order[i + 1]);
            if (from != null && to != null && !to.isBefore(from) && order[i] != order[i + 1]) {
                meters.timer("brandscan.scan.phase", "phase", order[i].wireName()).record(Duration.between(from, to));
            }
        }
    }
}
