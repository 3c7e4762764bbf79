package io.brandscan.api;

import java.util.Locale;

/**
 * Who may do what. The platform admin creates clients and belongs to none; the other three act
 * only inside their own client: a client admin manages users and keys as well as everything an
 * analyst does (brands, scans, reviews); a viewer only reads. Which role each operation allows is
 * written in the OpenAPI document ({@code x-brandscan-roles}).
 */
public enum Role {
    PLATFORM_ADMIN, CLIENT_ADMIN, ANALYST, VIEWER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role: " + name);
    }
}
