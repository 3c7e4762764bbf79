package io.brandscan.push;

import io.brandscan.api.Role;
import io.brandscan.scan.ScanIds;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a verified token speaks for: the client whose data it may see, its role and the user
 * ({@code sub}). Every role but {@link Role#PLATFORM_ADMIN} belongs to exactly one client; a
 * platform admin may have none (the operator view sees the platform, not a client).
 */
public record Principal(String clientId, Role role, String subject) {
    public Principal {
        Objects.requireNonNull(role, "role");
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a principal needs a subject");
        }
        if (clientId != null) {
            ScanIds.requireValid("client_id", clientId);
        } else if (role != Role.PLATFORM_ADMIN) {
            throw new IllegalArgumentException("role " + role.wireName() + " needs a client_id");
        }
    }

    public boolean isPlatformAdmin() {
        return role == Role.PLATFORM_ADMIN;
    }

    public Optional<String> client() {
        return Optional.ofNullable(clientId);
    }
}
