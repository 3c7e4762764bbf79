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

    /**
     * Prefix of each client's own copy of its scans' progress, {@code brandscan.client.<client_id>.scans},
     * republished (coalesced, node-local) by the push tier for its SockJS bridge; a browser may
     * register only its own client's address.
     */
    public static final String CLIENT_PREFIX = "brandscan.client.";
    /** Suffix of {@link #clientScans(String)}. */
    public static final String CLIENT_SCANS_SUFFIX = ".scans";

    /** The address a browser of {@code clientId} registers on the bridge to see its scans' progress. */
    public static String clientScans(String clientId) {
        return CLIENT_PREFIX + clientId + CLIENT_SCANS_SUFFIX;
    }

    private Addresses() {
    }
}
