package io.brandscan.acquire;

import io.vertx.core.Future;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Waiting for a download's outcome from a JUnit thread (never an event loop). */
final class Downloads {
    private Downloads() {
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The typed failure of a download that must fail, checked to carry {@code reason}. */
    static DownloadException failure(Future<?> future, DownloadFailure reason) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(future));
        DownloadException failure = assertInstanceOf(DownloadException.class, e.getCause(), String.valueOf(e.getCause()));
        assertEquals(reason, failure.reason(), failure.getMessage());
        return failure;
    }
}
