package io.brandscan.api;

/**
 * A request the API refuses, carrying everything its JSON error body needs: the HTTP status, a
 * stable machine code ({@code error}), a sentence for people ({@code message}), the field at
 * fault when there is one, and a {@code Retry-After} in seconds for 429s. Thrown or failed into a
 * route; the one failure handler ({@link ErrorResponses}) writes it.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String error;
    private final String field;
    private final Long retryAfterSeconds;

    public ApiException(int status, String error, String message, String field, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "invalid_request", message, field, null);
    }

    /** Missing and another client's resources answer with exactly this, so neither can be told apart. */
    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found", null, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, null, null);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message, null, null);
    }

    /** A 429 from a {@link ScanAdmission} refusal: the limit's name, a sentence and when to retry. */
    public static ApiException limited(Admission refusal) {
        return new ApiException(429, "limit_exceeded", refusal.message(), refusal.limit(), refusal.retryAfterSeconds());
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String field() {
        return field;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
