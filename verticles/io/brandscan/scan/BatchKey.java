package io.brandscan.scan;

/**
 * The registry batch key of one gather attempt of one scan, {@code <client>/<scan>/<attempt>}.
 * A new attempt (the watchdog re-gathering after a registry restart) gets a new key, so results
 * of an abandoned attempt can never complete or commit the new one.
 */
public record BatchKey(String clientId, String scanId, int attempt) {
    public BatchKey {
        ScanIds.requireValid("client_id", clientId);
        ScanIds.requireValid("scan_id", scanId);
        if (attempt < 1) {
            throw new IllegalArgumentException("gather attempts start at 1, got " + attempt);
        }
    }

    /** Parses a key written by {@link #toString()}; anything else is an {@link IllegalArgumentException}. */
    public static BatchKey parse(String key) {
        if (key == null) {
            throw new IllegalArgumentException("batch key is missing");
        }
        String[] parts = key.split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("batch key must be <client>/<scan>/<attempt>: " + key);
        }
        try {
            return new BatchKey(parts[0], parts[1], Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("batch key attempt is not a number: " + key);
        }
    }

    @Override
    public String toString() {
        return clientId + "/" + scanId + "/" + attempt;
    }
}
