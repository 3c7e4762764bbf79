package io.brandscan.embedding.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.brandscan.time.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchQueueTest {

    private final SettableClock clock = SettableClock.startingAt("2026-01-01T00:00:00Z");

    @Test
    void aFullBatchGoesAtOnceInArrivalOrder() {
        BatchQueue<Integer> q = new BatchQueue<>(3, Duration.ofMillis(5), 10, 1, clock);
        IntStream.range(0, 4).forEach(i -> assertTrue(q.offer(i)));
        assertEquals(List.of(0, 1, 2), q.takeReady());
        assertEquals(1, q.inFlight());
        assertEquals(List.of(), q.takeReady(), "the only slot is busy");
        q.release();
        assertEquals(List.of(), q.takeReady(), "a lone request waits for company until max_wait");
        clock.advance(Duration.ofMillis(5));
        assertEquals(List.of(3), q.takeReady());
    }

    @Test
    void aLoneRequestIsDueAfterMaxWait() {
        BatchQueue<String> q = new BatchQueue<>(16, Duration.ofMillis(5), 10, 1, clock);
        assertTrue(q.timeUntilDue().isEmpty());
        q.offer("a");
        assertEquals(Duration.ofMillis(5), q.timeUntilDue().orElseThrow());
        clock.advance(Duration.ofMillis(3));
        assertEquals(Duration.ofMillis(2), q.timeUntilDue().orElseThrow());
        assertEquals(List.of(), q.takeReady());
        clock.advance(Duration.ofMillis(2));
        assertEquals(List.of("a"), q.takeReady());
        assertTrue(q.timeUntilDue().isEmpty());
    }

    @Test
    void zeroWaitSendsWhateverIsThere() {
        BatchQueue<String> q = new BatchQueue<>(16, Duration.ZERO, 10, 2, clock);
        q.offer("a");
        assertEquals(List.of("a"), q.takeReady());
        q.offer("b");
        q.offer("c");
        assertEquals(List.of("b", "c"), q.takeReady(), "second slot");
        q.offer("d");
        assertEquals(List.of(), q.takeReady(), "both slots busy");
        q.release();
        assertEquals(List.of("d"), q.takeReady());
    }

    @Test
    void theQueueIsBoundedAndRefusesWithoutLosingAnything() {
        BatchQueue<Integer> q = new BatchQueue<>(2, Duration.ZERO, 4, 1, clock);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            if (q.offer(i)) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertEquals(4, accepted);
        assertEquals(36, refused);
        assertEquals(List.of(0, 1), q.takeReady());
        assertTrue(q.offer(100), "taking a batch frees queue places");
        assertEquals(List.of(2, 3, 100), q.drainWaiting());
        assertEquals(0, q.waiting());
    }

    @Test
    void badBoundsAndUnbalancedReleaseAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BatchQueue<>(0, Duration.ZERO, 1, 1, clock));
        assertThrows(IllegalArgumentException.class, () -> new BatchQueue<>(1, Duration.ZERO, 0, 1, clock));
        assertThrows(IllegalArgumentException.class, () -> new BatchQueue<>(1, Duration.ofMillis(-1), 1, 1, clock));
        BatchQueue<Integer> q = new BatchQueue<>(1, Duration.ZERO, 1, 1, clock);
        assertThrows(IllegalStateException.class, q::release);
        assertFalse(q.offer(1) && q.offer(2));
    }
}
