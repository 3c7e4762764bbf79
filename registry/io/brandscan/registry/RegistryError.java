package io.brandscan.registry;

/**
 * Every way a registry request can be refused, with the HTTP status it maps to. The code is the
 * stable, machine-readable {@code error} field of the JSON error body.
 */
public enum RegistryError {
    MALFORMED_JSON(400, "malformed_json"),
    INVALID_FIELD(400, "invalid_field"),
    UNKNOWN_BRAND(404, "unknown_brand"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    EXPECTED_COUNT_CONFLICT(409, "expected_count_conflict"),
    OVER_COUNT(409, "over_count"),
    COMMIT_NOT_GRANTED(409, "commit_not_granted"),
    LEASE_LOST(409, "lease_lost"),
    BODY_TOO_LARGE(413, "body_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    MEMORY_BUDGET_EXCEEDED(507, "memory_budget_exceeded"),
    UNAVAILABLE(503, "unavailable"),
    INTERNAL(500, "internal");

    private final int status;
    private final String code;

    RegistryError(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** A refusal of this kind with a message that names what was wrong. */
    public RegistryException with(String message) {
        return new RegistryException(this, message);
    }

    public static RegistryError ofCode(String code) {
        for (RegistryError e : values()) {
            if (e.code.equals(code)) {
                return e;
            }
        }
        return INTERNAL;
    }
}
