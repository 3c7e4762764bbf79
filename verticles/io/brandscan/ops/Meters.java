package io.brandscan.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * Where brandscan's own meters go: the Prometheus registry Vert.x was created with (see
 * {@code VertxFactory}; scraped at {@code /metrics}), or, in a Vert.x without metrics (tests,
 * embedded use), a private in-memory registry so instrumented code never needs to check.
 *
 * <p>Meter names start with {@code brandscan.} (Prometheus: {@code brandscan_...}). Tags stay
 * low-cardinality: queue names, outcomes, reasons, phases and client ids (hundreds, not millions);
 * never urls or scan ids.
 */
public final class Meters {
    private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();

    private Meters() {
    }

    public static MeterRegistry registry() {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        return registry != null ? registry : FALLBACK;
    }
}
