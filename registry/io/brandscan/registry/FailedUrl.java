package io.brandscan.registry;

/** A url that failed for good: it counts toward completion and its error is kept. */
public record FailedUrl(String url, String error) {
    public long estimatedBytes() {
        return 24 + 40 + url.length() + 40 + error.length();
    }
}
