package io.brandscan.scan;

import java.util.Locale;

/**
 * Where a finding stands with the client's reviewers. Every finding starts {@link #OPEN}; the
 * review actions that move it belong to the API.
 */
public enum ReviewStatus {
    OPEN, CONFIRMED, DISMISSED, ALLOWLIST_SELLER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReviewStatus fromWire(String name) {
        for (ReviewStatus s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown review status: " + name);
    }
}
