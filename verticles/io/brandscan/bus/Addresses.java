package io.brandscan.bus;

/** Every event-bus address brandscan uses, in one place. */
public final class Addresses {
    /** Commands to the registry's single state owner (local to the registry process). */
    public static final String REGISTRY_COMMANDS = "brandscan.registry.commands";
    /** Batch progress and lifecycle events published by the registry (JSON). */
    public static final String REGISTRY_PROGRESS = "brandscan.registry.progress";
    /**
     * Scan progress events, published by every phase (JSON: client_id, scan_id, seq, type,
     * state, counts, detail, at) after they are persisted with ScanRepository.appendEvent.
     */
    public static final String SCAN_PROGRESS = "brandscan.scan.progress";

    private Addresses() {
    }
}
