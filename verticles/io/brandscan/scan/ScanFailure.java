package io.brandscan.scan;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing that failed for good inside a scan (an image url, a poison message) and why. The
 * reason is cut to {@link #MAX_ERROR_LENGTH} characters so one huge error cannot bloat the scan.
 */
public record ScanFailure(String url, String error, Instant at) {
    public static final int MAX_ERROR_LENGTH = 2000;

    public ScanFailure {
        Objects.requireNonNull(at, "at");
        url = url == null ? "" : url;
        if (error == null || error.isBlank()) {
            throw new IllegalArgumentException("a failure needs a reason");
        }
        if (error.length() > MAX_ERROR_LENGTH) {
            error = error.substring(0, MAX_ERROR_LENGTH);
        }
    }
}
