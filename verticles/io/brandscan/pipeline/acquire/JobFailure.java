package io.brandscan.pipeline.acquire;

import io.brandscan.acquire.DownloadException;
import io.brandscan.embedding.image.ImageDecodeException;

import java.util.Optional;

/**
 * Sorts what went wrong with a url job into the two outcomes the pipeline knows: a permanent
 * failure, reported to the registry with {@code /fail} and a reason a reviewer can read, or
 * anything else, which fails the handler so SQS redelivers the message later.
 */
final class JobFailure {
    private JobFailure() {
    }

    /** The reason to record for good, or empty when the job should be retried. */
    static Optional<String> permanentReason(Throwable error) {
        if (error instanceof DownloadException d && !d.retryable()) {
            return Optional.of("download " + d.getMessage());
        }
        if (error instanceof ImageDecodeException d) {
            return Optional.of("decode " + d.getMessage());
        }
        return Optional.empty();
    }
}
