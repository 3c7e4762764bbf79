package io.brandscan.api;

import java.util.Objects;

/**
 * Who made a request, as proven by its credential: the client it acts for (null for the platform
 * admin), the subject ({@code key:<id>}, {@code user:<id>} or {@code platform-admin}) for audit
 * trails, and the role. Every client-scoped read and write takes the client from here, never from
 * the request.
 */
public record Caller(String clientId, String subject, Role role) {
    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        if ((role == Role.PLATFORM_ADMIN) != (clientId == null)) {
            throw new IllegalArgumentException("only the platform admin acts without a client");
        }
    }

    public static Caller platformAdmin() {
        return new Caller(null, "platform-admin", Role.PLATFORM_ADMIN);
    }
}
