package io.brandscan.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registry's Prometheus meters. The owner verticle writes the gauge values after each
 * command; the scrape reads them from another thread, so they are atomics, never the live maps.
 * With no meter registry (metrics disabled) every call is a no-op.
 */
final class RegistryMeters {
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong results = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong leased = new AtomicLong();
    private final Counter leasesGranted;
    private final Counter leasesExpired;
    private final Counter leasesReleased;
    private final Counter batchesExpired;
    private final Counter batchesCommitted;
    private final Counter duplicates;
    private final Counter refusals;

    RegistryMeters(MeterRegistry registry, long memoryBudgetBytes) {
        if (registry == null) {
            leasesGranted = leasesExpired = leasesReleased = batchesExpired = batchesCommitted = duplicates = refusals = null;
            return;
        }
        Gauge.builder("brandscan_registry_batches", batches, AtomicLong::get)
                .description("Batches held by the registry").register(registry);
        Gauge.builder("brandscan_registry_results", results, AtomicLong::get)
                .description("Results held by the registry").register(registry);
        Gauge.builder("brandscan_registry_bytes", bytes, AtomicLong::get)
                .description("Bytes charged to the registry's memory budget").register(registry);
        Gauge.builder("brandscan_registry_memory_budget_bytes", () -> memoryBudgetBytes)
                .description("The registry's memory budget").register(registry);
        Gauge.builder("brandscan_registry_leases_active", leased, AtomicLong::get)
                .description("Commit leases currently live").register(registry);
        leasesGranted = Counter.builder("brandscan_registry_leases_granted_total").register(registry);
        leasesExpired = Counter.builder("brandscan_registry_leases_expired_total").register(registry);
        leasesReleased = Counter.builder("brandscan_registry_leases_released_total")
                .description("Commit leases given back early by a stopping worker").register(registry);
        batchesExpired = Counter.builder("brandscan_registry_batches_expired_total").register(registry);
        batchesCommitted = Counter.builder("brandscan_registry_batches_committed_total").register(registry);
        duplicates = Counter.builder("brandscan_registry_duplicates_total").register(registry);
        refusals = Counter.builder("brandscan_registry_refusals_total").register(registry);
    }

    void snapshot(ActiveBrandRegistry registry, boolean countLeases) {
        batches.set(registry.batchCount());
        results.set(registry.resultCount());
        bytes.set(registry.bytes());
        if (countLeases) {
            leased.set(registry.leasedCount());
        }
    }

    void leaseGranted() {
        increment(leasesGranted, 1);
    }

    void leasesExpired(int n) {
        increment(leasesExpired, n);
    }

    void leaseReleased() {
        increment(leasesReleased, 1);
    }

    void batchesExpired(int n) {
        increment(batchesExpired, n);
    }

    void batchCommitted() {
        increment(batchesCommitted, 1);
    }

    void duplicate() {
        increment(duplicates, 1);
    }

    void refused() {
        increment(refusals, 1);
    }

    private static void increment(Counter counter, int n) {
        if (counter != null && n > 0) {
            counter.increment(n);
        }
    }
}
