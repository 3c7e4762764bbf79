package io.brandscan.push;

import java.util.Locale;

/** The roles a token may carry (claim {@code role}); the same four the API issues. */
public enum Role {
    PLATFORM_ADMIN, CLIENT_ADMIN, ANALYST, VIEWER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a claim value; anything else is an {@link IllegalArgumentException}. */
    public static Role fromWire(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role: " + name);
    }
}
